SELECT
  `c`.`id` AS `customer_id`
FROM `customers` AS `c`
WHERE
  EXISTS(
    SELECT
      1
    FROM `customer_channels` AS `ch1`
    WHERE
      `ch1`.`customer_id` = `c`.`id` AND LOWER(`ch1`.`channel`) = 'sms'
  )
  AND EXISTS(
    SELECT
      1
    FROM `customer_tags` AS `t2`
    WHERE
      `t2`.`customer_id` = `c`.`id` AND LOWER(`t2`.`tag`) IN ('gold', 'vip')
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM `customer_tags` AS `t3`
    WHERE
      `t3`.`customer_id` = `c`.`id` AND LOWER(`t3`.`tag`) = 'churn'
  )
  AND NOT NOT EXISTS(
    SELECT
      1
    FROM `customer_tags` AS `t4`
    WHERE
      `t4`.`customer_id` = `c`.`id`
  )
