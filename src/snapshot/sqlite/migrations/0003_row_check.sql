DROP INDEX `snapshot_rows_fingerprint`;--> statement-breakpoint
ALTER TABLE `snapshot_rows` ADD `row_check` real DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `snapshot_rows_check` ON `snapshot_rows` (`sync`,`row_check`);