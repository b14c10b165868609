SELECT
  `c`.`id` AS `customer_id`
FROM `customers` AS `c`
WHERE
  EXISTS(
    SELECT
      1
    FROM `customer_channels` AS `ch1`
    WHERE
      `ch1`.`customer_id` = `c`.`id` AND LOWER(`ch1`.`channel`) = 'whatsapp'
  )
  AND (
    `c`.`id` IN (
      SELECT
        `i2`.`customer_id`
      FROM `interactions` AS `i2`
      WHERE
        NOT `i2`.`customer_id` IS NULL AND LOWER(`i2`.`channel`) = 'whatsapp'
      GROUP BY
        `i2`.`customer_id`
      HAVING
        MAX(`i2`.`occurred_at`) < CAST('2026-10-29 12:00:00Z' AS TIMESTAMP)
    )
    OR `c`.`id` IN (
      SELECT
        `i3`.`customer_id`
      FROM `interactions` AS `i3`
      WHERE
        NOT `i3`.`customer_id` IS NULL AND LOWER(`i3`.`channel`) = 'whatsapp'
      GROUP BY
        `i3`.`customer_id`
      HAVING
        MAX(`i3`.`occurred_at`) >= CAST('2026-11-01 00:00:00Z' AS TIMESTAMP)
        AND MAX(`i3`.`occurred_at`) < CAST('2026-11-16 00:00:00Z' AS TIMESTAMP)
    )
  )
  AND EXISTS(
    SELECT
      1
    FROM `interactions` AS `i4`
    WHERE
      `i4`.`customer_id` = `c`.`id`
      AND LOWER(`i4`.`channel`) = 'whatsapp'
      AND `i4`.`occurred_at` >= CAST('2026-11-20 09:15:01Z' AS TIMESTAMP)
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM `interactions` AS `i5`
    WHERE
      `i5`.`customer_id` = `c`.`id`
      AND LOWER(`i5`.`channel`) = 'whatsapp'
      AND `i5`.`occurred_at` >= CAST('2026-11-28 10:30:00Z' AS TIMESTAMP)
  )
