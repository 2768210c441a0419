CREATE TABLE `expired_rounds` (
	`id` text PRIMARY KEY NOT NULL,
	`player_id` integer NOT NULL,
	`mode` text NOT NULL,
	`model_version` text NOT NULL,
	`policy` text NOT NULL,
	`seed` integer,
	`truncation` real,
	`real_face_id` text,
	`slots` text NOT NULL,
	`exposure_ms` integer,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rate_buckets` (
	`rule` text NOT NULL,
	`client` text NOT NULL,
	`tokens` real NOT NULL,
	`updated_at` integer NOT NULL,
	`flagged_until` integer NOT NULL,
	`taken` integer NOT NULL,
	PRIMARY KEY(`rule`, `client`)
);
--> statement-breakpoint
CREATE INDEX `rounds_unanswered_expiry` ON `rounds` (`expires_at`) WHERE "rounds"."answered_at" IS NULL;