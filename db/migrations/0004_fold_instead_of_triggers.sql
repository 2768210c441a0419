-- The running sums move out of the judgment's INSERT: compiling that trigger's five statements on every
-- answer cost more than everything else the answer does. foldJudgments (src/server/stats/fold-judgments.ts)
-- now adds new judgments to the sums in bulk, about once a second. What the old trigger counted so far is
-- already in the sums, so the cursor starts after the newest judgment.
DROP TRIGGER IF EXISTS `judgments_add_to_sums`;
--> statement-breakpoint
INSERT INTO `sums_cursor` (`id`, `folded_through`) SELECT 1, ifnull(max(`id`), 0) FROM `judgments`;
--> statement-breakpoint
-- The round is marked answered in the statement that records its judgment (one short, cheap trigger).
CREATE TRIGGER `judgments_mark_round_answered` AFTER INSERT ON `judgments`
BEGIN
  UPDATE `rounds` SET `answered_at` = NEW.`created_at` WHERE `id` = NEW.`round_id`;
END;
