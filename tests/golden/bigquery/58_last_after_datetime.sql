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
  AND EXISTS(
    SELECT
      1
    FROM `interactions` AS `i2`
    WHERE
      `i2`.`customer_id` = `c`.`id`
      AND LOWER(`i2`.`channel`) = 'whatsapp'
      AND `i2`.`occurred_at` >= CAST('2026-11-20 09:15:01' AS TIMESTAMP)
  )
