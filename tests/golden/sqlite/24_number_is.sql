SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  (
    NOT "c"."phone" IS NULL
    AND LOWER(
      REPLACE(
        REPLACE(
          REPLACE(REPLACE(REPLACE(REPLACE("c"."phone", ' ', ''), '-', ''), '.', ''), '(', ''),
          ')',
          ''
        ),
        '+',
        ''
      )
    ) COLLATE BINARY = '919876543210'
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id"
      AND LOWER("ch1"."channel") COLLATE BINARY = 'whatsapp'
  )
