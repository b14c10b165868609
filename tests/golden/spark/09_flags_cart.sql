SELECT
  `c`.`id` AS `customer_id`
FROM `customers` AS `c`
WHERE
  EXISTS(
    SELECT
      1
    FROM `customer_channels` AS `ch1`
    WHERE
      `ch1`.`customer_id` = `c`.`id` AND LOWER(`ch1`.`channel`) = 'webchat'
  )
  AND EXISTS(
    SELECT
      1
    FROM `interactions` AS `i2`
    WHERE
      `i2`.`customer_id` = `c`.`id`
      AND LOWER(`i2`.`channel`) = 'webchat'
      AND `i2`.`talked_with_agent`
      AND `i2`.`occurred_at` >= CAST('2026-11-21 12:00:00' AS TIMESTAMP)
  )
  AND EXISTS(
    SELECT
      1
    FROM `interactions` AS `i3`
    WHERE
      `i3`.`customer_id` = `c`.`id`
      AND LOWER(`i3`.`channel`) = 'webchat'
      AND `i3`.`completed_bot_flow`
      AND LOWER(`i3`.`bot_flow`) = 'welcome'
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM `interactions` AS `i4`
    WHERE
      `i4`.`customer_id` = `c`.`id`
      AND LOWER(`i4`.`channel`) = 'webchat'
      AND `i4`.`completed_product_flow`
  )
  AND EXISTS(
    SELECT
      1
    FROM `interactions` AS `i5`
    WHERE
      `i5`.`customer_id` = `c`.`id`
      AND LOWER(`i5`.`channel`) = 'webchat'
      AND `i5`.`completed_collection_flow`
      AND `i5`.`occurred_at` >= CAST('2026-11-14 12:00:00' AS TIMESTAMP)
  )
  AND EXISTS(
    SELECT
      1
    FROM `carts` AS `k6`
    WHERE
      `k6`.`customer_id` = `c`.`id`
      AND LOWER(`k6`.`channel`) = 'webchat'
      AND `k6`.`item_count` > 0
      AND NOT `k6`.`paid`
  )
