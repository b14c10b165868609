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
    COALESCE(
      (
        DATE_FORMAT(
          (
            SELECT
              MAX(`i2`.`occurred_at`)
            FROM `interactions` AS `i2`
            WHERE
              `i2`.`customer_id` = `c`.`id` AND LOWER(`i2`.`channel`) = 'whatsapp'
          ),
          'HH:mm:ss'
        ) >= '22:00:00'
        OR DATE_FORMAT(
          (
            SELECT
              MAX(`i2`.`occurred_at`)
            FROM `interactions` AS `i2`
            WHERE
              `i2`.`customer_id` = `c`.`id` AND LOWER(`i2`.`channel`) = 'whatsapp'
          ),
          'HH:mm:ss'
        ) < '06:00:00'
      ),
      FALSE
    )
    OR COALESCE(
      (
        DATE_FORMAT(
          (
            SELECT
              MAX(`i3`.`occurred_at`)
            FROM `interactions` AS `i3`
            WHERE
              `i3`.`customer_id` = `c`.`id` AND LOWER(`i3`.`channel`) = 'whatsapp'
          ),
          'HH:mm:ss'
        ) >= '18:00:30'
      ),
      FALSE
    )
  )
