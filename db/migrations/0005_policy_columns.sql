ALTER TABLE `fake_face_stats` ADD `policy` text DEFAULT 'random' NOT NULL;--> statement-breakpoint
ALTER TABLE `player_model_stats` ADD `policy` text DEFAULT 'random' NOT NULL;--> statement-breakpoint
ALTER TABLE `rounds` ADD `policy` text DEFAULT 'random' NOT NULL;--> statement-breakpoint
CREATE INDEX `rounds_player_recent` ON `rounds` (`player_id`,`created_at`);