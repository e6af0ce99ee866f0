CREATE TABLE `row_errors` (
	`sync` text NOT NULL,
	`key` text NOT NULL,
	`action` text NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`field` text,
	`attempts` integer DEFAULT 1 NOT NULL,
	`run_id` text NOT NULL,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	PRIMARY KEY(`sync`, `key`),
	FOREIGN KEY (`sync`) REFERENCES `sync_state`(`sync`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `row_errors_sync_last_seen_idx` ON `row_errors` (`sync`,`last_seen_at`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`sync` text NOT NULL,
	`kind` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`status` text NOT NULL,
	`planned` integer DEFAULT 0 NOT NULL,
	`delivered` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`api_calls` integer DEFAULT 0 NOT NULL,
	`rate_limited` integer DEFAULT 0 NOT NULL,
	`message` text
);
--> statement-breakpoint
CREATE INDEX `runs_sync_started_idx` ON `runs` (`sync`,`started_at`);--> statement-breakpoint
CREATE TABLE `snapshot_rows` (
	`sync` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`payload` text NOT NULL,
	`remote_id` text,
	`synced_at` text NOT NULL,
	`run_id` text NOT NULL,
	PRIMARY KEY(`sync`, `key`),
	FOREIGN KEY (`sync`) REFERENCES `sync_state`(`sync`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`sync` text PRIMARY KEY NOT NULL,
	`lineage` text NOT NULL,
	`serial` integer DEFAULT 0 NOT NULL,
	`definition_hash` text,
	`lock_holder` text,
	`lock_expires_at` text,
	`last_delivered_at` text,
	`updated_at` text NOT NULL
);
