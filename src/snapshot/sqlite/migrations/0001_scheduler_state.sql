CREATE TABLE `alert_states` (
	`sync` text NOT NULL,
	`rule` text NOT NULL,
	`severity` text NOT NULL,
	`previous_severity` text NOT NULL,
	`message` text NOT NULL,
	`changed_at` text NOT NULL,
	`transition_id` text NOT NULL,
	`undelivered` text DEFAULT '[]' NOT NULL,
	PRIMARY KEY(`sync`, `rule`)
);
--> statement-breakpoint
CREATE TABLE `pending_changes` (
	`sync` text NOT NULL,
	`key` text NOT NULL,
	`first_seen_at` text NOT NULL,
	`seen_in` text NOT NULL,
	PRIMARY KEY(`sync`, `key`),
	FOREIGN KEY (`sync`) REFERENCES `sync_state`(`sync`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pending_changes_sync_first_seen_idx` ON `pending_changes` (`sync`,`first_seen_at`);--> statement-breakpoint
CREATE TABLE `scheduler_heartbeats` (
	`holder` text PRIMARY KEY NOT NULL,
	`started_at` text NOT NULL,
	`last_tick_at` text NOT NULL,
	`tick_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_health` (
	`sync` text PRIMARY KEY NOT NULL,
	`tracked_since` text NOT NULL,
	`last_started_at` text,
	`last_finished_at` text,
	`last_outcome` text,
	`last_message` text,
	`last_success_at` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL
);
