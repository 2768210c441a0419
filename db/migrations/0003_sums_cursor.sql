CREATE TABLE `sums_cursor` (
	`id` integer PRIMARY KEY NOT NULL,
	`folded_through` integer NOT NULL,
	`token` text
);
