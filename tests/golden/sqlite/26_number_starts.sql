SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  (
    NOT (
      "c"."phone" IS NULL OR TRIM("c"."phone", ' ') COLLATE BINARY = ''
    )
    AND SUBSTRING(
      LOWER(
        REPLACE(
          REPLACE(
            REPLACE(REPLACE(REPLACE(REPLACE("c"."phone", ' ', ''), '-', ''), '.', ''), '(', ''),
            ')',
            ''
          ),
          '+',
          ''
        )
      ),
      1,
      2
    ) COLLATE BINARY = '91'
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id"
      AND LOWER("ch1"."channel") COLLATE BINARY = 'whatsapp'
  )
