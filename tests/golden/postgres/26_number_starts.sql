SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id"
      AND LOWER("ch1"."channel" COLLATE "und-x-icu") = 'whatsapp'
  )
  AND (
    NOT (
      "c"."phone" IS NULL OR TRIM(' ' FROM "c"."phone") = ''
    )
    AND SUBSTRING(LOWER(
      REPLACE(
        REPLACE(
          REPLACE(REPLACE(REPLACE(REPLACE("c"."phone", ' ', ''), '-', ''), '.', ''), '(', ''),
          ')',
          ''
        ),
        '+',
        ''
      ) COLLATE "und-x-icu"
    ) FROM 1 FOR 2) = '91'
  )
