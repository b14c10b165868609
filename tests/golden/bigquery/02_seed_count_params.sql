SELECT
  COUNT(*) AS `count`
FROM `customers` AS `c`
WHERE
  EXISTS(
    SELECT
      1
    FROM `customer_channels` AS `ch1`
    WHERE
      `ch1`.`customer_id` = `c`.`id` AND LOWER(`ch1`.`channel`) = ?
  )
  AND EXISTS(
    SELECT
      1
    FROM `customer_tags` AS `t2`
    WHERE
      `t2`.`customer_id` = `c`.`id` AND LOWER(`t2`.`tag`) = ?
  )
  AND (
    NOT `c`.`gender` IS NULL AND LOWER(`c`.`gender`) = ?
  )
  AND EXISTS(
    SELECT
      1
    FROM `interactions` AS `i3`
    WHERE
      `i3`.`customer_id` = `c`.`id`
      AND LOWER(`i3`.`channel`) = ?
      AND `i3`.`occurred_at` >= CAST(? AS DATETIME)
  )
  AND EXISTS(
    SELECT
      1
    FROM `customer_fields` AS `f4`
    WHERE
      `f4`.`customer_id` = `c`.`id`
      AND `f4`.`field_key` = ?
      AND LOWER(TRIM(`f4`.`field_value`, ' ')) = ?
  )
-- params: ['whatsapp', 'vip', 'female', 'whatsapp', '2026-10-29 12:00:00', 'returningUser', 'true']
