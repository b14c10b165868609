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
    (
      NOT (
        `c`.`name` IS NULL OR TRIM(`c`.`name`, ' ') = ''
      )
      AND INSTR(LOWER(`c`.`name`), '50%_off') > 0
    )
    OR (
      NOT (
        `c`.`name` IS NULL OR TRIM(`c`.`name`, ' ') = ''
      )
      AND SUBSTRING(LOWER(`c`.`name`), 1, 2) = 'as'
    )
    OR (
      NOT (
        `c`.`name` IS NULL OR TRIM(`c`.`name`, ' ') = ''
      )
      AND (
        LENGTH(LOWER(`c`.`name`)) >= 3
        AND SUBSTRING(LOWER(`c`.`name`), LENGTH(LOWER(`c`.`name`)) - 3 + 1, 3) = 'rao'
      )
    )
  )
  AND NOT (
    `c`.`email` IS NULL OR TRIM(`c`.`email`, ' ') = ''
  )
  AND NOT (
    NOT `c`.`phone` IS NULL
    AND LOWER(
      REPLACE(
        REPLACE(
          REPLACE(REPLACE(REPLACE(REPLACE(`c`.`phone`, ' ', ''), '-', ''), '.', ''), '(', ''),
          ')',
          ''
        ),
        '+',
        ''
      )
    ) = '919876543210'
  )
  AND (
    (
      NOT `c`.`gender` IS NULL AND LOWER(`c`.`gender`) IN ('female', 'other')
    )
    OR (
      `c`.`gender` IS NULL OR TRIM(`c`.`gender`, ' ') = ''
    )
  )
