-- Running sums kept by the database itself. Recording a judgment is one INSERT; these triggers run inside
-- that same statement, so a judgment and its sums are written together or not at all, whoever writes it.
-- The counting rules are those of src/server/stats/rebuild-aggregates.ts, which recomputes the sums from
-- the judgments (the tests compare both):
--   a fake was shown when the round has a seed; it was judged real when the judgment is `fooled`;
--   a real face was shown when the round has one; it was judged fake when a pair answer chose the fake
--   (`fooled`) or a single/timed verdict said "fake".
-- Excluded judgments (too fast, rate-limited) only count in the excluded_* columns.
CREATE TRIGGER `judgments_add_to_sums` AFTER INSERT ON `judgments`
BEGIN
  UPDATE `rounds` SET `answered_at` = NEW.`created_at` WHERE `id` = NEW.`round_id`;
  INSERT INTO `player_model_stats` (`model_version`, `mode`, `player_id`, `judged`, `correct`, `fakes_shown`,
    `fakes_judged_real`, `reals_shown`, `reals_judged_fake`, `excluded_too_fast`, `excluded_rate_limited`)
  SELECT NEW.`model_version`, NEW.`mode`, NEW.`player_id`,
    NEW.`excluded` IS NULL,
    NEW.`excluded` IS NULL AND NEW.`correct`,
    NEW.`excluded` IS NULL AND r.`seed` IS NOT NULL,
    NEW.`excluded` IS NULL AND r.`seed` IS NOT NULL AND NEW.`fooled`,
    NEW.`excluded` IS NULL AND r.`real_face_id` IS NOT NULL,
    NEW.`excluded` IS NULL AND r.`real_face_id` IS NOT NULL
      AND ((NEW.`mode` = 'pair' AND NEW.`fooled`) OR (NEW.`mode` <> 'pair' AND NEW.`verdict` = 'fake')),
    ifnull(NEW.`excluded` = 'too_fast', 0),
    ifnull(NEW.`excluded` = 'rate_limited', 0)
  FROM `rounds` r WHERE r.`id` = NEW.`round_id`
  ON CONFLICT (`model_version`, `mode`, `player_id`) DO UPDATE SET
    `judged` = `judged` + excluded.`judged`,
    `correct` = `correct` + excluded.`correct`,
    `fakes_shown` = `fakes_shown` + excluded.`fakes_shown`,
    `fakes_judged_real` = `fakes_judged_real` + excluded.`fakes_judged_real`,
    `reals_shown` = `reals_shown` + excluded.`reals_shown`,
    `reals_judged_fake` = `reals_judged_fake` + excluded.`reals_judged_fake`,
    `excluded_too_fast` = `excluded_too_fast` + excluded.`excluded_too_fast`,
    `excluded_rate_limited` = `excluded_rate_limited` + excluded.`excluded_rate_limited`;
  INSERT INTO `fake_face_stats` (`model_version`, `seed`, `truncation_key`, `shown`, `judged_real`)
  SELECT r.`model_version`, r.`seed`, ifnull(r.`truncation`, 0), 1, NEW.`fooled`
  FROM `rounds` r WHERE r.`id` = NEW.`round_id` AND r.`seed` IS NOT NULL AND NEW.`excluded` IS NULL
  ON CONFLICT (`model_version`, `seed`, `truncation_key`) DO UPDATE SET
    `shown` = `shown` + 1,
    `judged_real` = `judged_real` + excluded.`judged_real`;
  INSERT INTO `real_face_stats` (`face_id`, `shown`, `judged_fake`)
  SELECT r.`real_face_id`, 1, (NEW.`mode` = 'pair' AND NEW.`fooled`) OR (NEW.`mode` <> 'pair' AND NEW.`verdict` = 'fake')
  FROM `rounds` r WHERE r.`id` = NEW.`round_id` AND r.`real_face_id` IS NOT NULL AND NEW.`excluded` IS NULL
  ON CONFLICT (`face_id`) DO UPDATE SET
    `shown` = `shown` + 1,
    `judged_fake` = `judged_fake` + excluded.`judged_fake`;
  UPDATE `players` SET
    `judged` = `judged` + (NEW.`excluded` IS NULL),
    `correct` = `correct` + (NEW.`excluded` IS NULL AND NEW.`correct`)
  WHERE `id` = NEW.`player_id`;
END;
--> statement-breakpoint
-- HYPE-time's staircase (src/server/rounds/exposure.ts): 3 right in a row → 10 ms shorter, 1 wrong → 30 ms
-- longer, within 100–1000 ms. Every answered timed round moves it, as the player experienced it.
CREATE TRIGGER `judgments_timed_staircase` AFTER INSERT ON `judgments` WHEN NEW.`mode` = 'timed'
BEGIN
  UPDATE `players` SET
    `exposure_ms` = CASE
      WHEN NOT NEW.`correct` THEN min(1000, `exposure_ms` + 30)
      WHEN `correct_streak` + 1 >= 3 THEN max(100, `exposure_ms` - 10)
      ELSE `exposure_ms` END,
    `correct_streak` = CASE
      WHEN NOT NEW.`correct` THEN 0
      WHEN `correct_streak` + 1 >= 3 THEN 0
      ELSE `correct_streak` + 1 END
  WHERE `id` = NEW.`player_id`;
END;
