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
    NOT (
      `c`.`phone` IS NULL OR TRIM(' ' FROM `c`.`phone`) = ''
    )
    AND LOCATE(
      '98765',
      LOWER(
        REPLACE(
          REPLACE(
            REPLACE(REPLACE(REPLACE(REPLACE(`c`.`phone`, ' ', ''), '-', ''), '.', ''), '(', ''),
            ')',
            ''
          ),
          '+',
          ''
        )
      )
    ) > 0
  )
