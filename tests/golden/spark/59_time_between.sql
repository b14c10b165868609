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
  AND COALESCE(
    (
      PMOD(
        UNIX_SECONDS(
          (
            SELECT
              MAX(`i2`.`occurred_at`)
            FROM `interactions` AS `i2`
            WHERE
              `i2`.`customer_id` = `c`.`id` AND LOWER(`i2`.`channel`) = 'whatsapp'
          )
        ),
        86400
      ) >= 32400
      AND PMOD(
        UNIX_SECONDS(
          (
            SELECT
              MAX(`i2`.`occurred_at`)
            FROM `interactions` AS `i2`
            WHERE
              `i2`.`customer_id` = `c`.`id` AND LOWER(`i2`.`channel`) = 'whatsapp'
          )
        ),
        86400
      ) < 61200
    ),
    FALSE
  )
