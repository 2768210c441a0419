CREATE TABLE `fake_face_stats` (
	`model_version` text NOT NULL,
	`seed` integer NOT NULL,
	`truncation_key` real NOT NULL,
	`shown` integer DEFAULT 0 NOT NULL,
	`judged_real` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`model_version`, `seed`, `truncation_key`)
);
--> statement-breakpoint
CREATE INDEX `fake_face_stats_convincing` ON `fake_face_stats` (("judged_real" * 1.0 / "shown") DESC,"shown" DESC) WHERE "fake_face_stats"."shown" >= 5;--> statement-breakpoint
CREATE TABLE `judgments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` text NOT NULL,
	`player_id` integer NOT NULL,
	`model_version` text NOT NULL,
	`mode` text NOT NULL,
	`choice` integer,
	`verdict` text,
	`correct` integer NOT NULL,
	`fooled` integer NOT NULL,
	`response_ms` integer,
	`elapsed_ms` integer NOT NULL,
	`excluded` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `judgments_round` ON `judgments` (`round_id`);--> statement-breakpoint
CREATE TABLE `player_model_stats` (
	`model_version` text NOT NULL,
	`mode` text NOT NULL,
	`player_id` integer NOT NULL,
	`judged` integer DEFAULT 0 NOT NULL,
	`correct` integer DEFAULT 0 NOT NULL,
	`fakes_shown` integer DEFAULT 0 NOT NULL,
	`fakes_judged_real` integer DEFAULT 0 NOT NULL,
	`reals_shown` integer DEFAULT 0 NOT NULL,
	`reals_judged_fake` integer DEFAULT 0 NOT NULL,
	`excluded_too_fast` integer DEFAULT 0 NOT NULL,
	`excluded_rate_limited` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`model_version`, `mode`, `player_id`),
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `players` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`nickname` text,
	`exposure_ms` integer NOT NULL,
	`correct_streak` integer DEFAULT 0 NOT NULL,
	`judged` integer DEFAULT 0 NOT NULL,
	`correct` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `players_token_hash` ON `players` (`token_hash`);--> statement-breakpoint
CREATE INDEX `players_detectors` ON `players` (("correct" * 1.0 / "judged") DESC,"judged" DESC) WHERE "players"."nickname" IS NOT NULL AND "players"."judged" >= 20;--> statement-breakpoint
CREATE TABLE `real_face_stats` (
	`face_id` text PRIMARY KEY NOT NULL,
	`shown` integer DEFAULT 0 NOT NULL,
	`judged_fake` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `real_face_stats_doubted` ON `real_face_stats` (("judged_fake" * 1.0 / "shown") DESC,"shown" DESC) WHERE "real_face_stats"."shown" >= 5;--> statement-breakpoint
CREATE TABLE `rounds` (
	`id` text PRIMARY KEY NOT NULL,
	`player_id` integer NOT NULL,
	`mode` text NOT NULL,
	`model_version` text NOT NULL,
	`seed` integer,
	`truncation` real,
	`real_face_id` text,
	`slots` text NOT NULL,
	`exposure_ms` integer,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`answered_at` integer,
	`answer_nonce` text,
	FOREIGN KEY (`player_id`) REFERENCES `players`(`id`) ON UPDATE no action ON DELETE no action
);
