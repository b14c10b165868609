SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  (
    NOT (
      "c"."phone" IS NULL OR TRIM("c"."phone", ' ') COLLATE BINARY = ''
    )
    AND INSTR(
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
      ) COLLATE BINARY,
      '98765'
    ) > 0
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id"
      AND LOWER("ch1"."channel") COLLATE BINARY = 'whatsapp'
  )
