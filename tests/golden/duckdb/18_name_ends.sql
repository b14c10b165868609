SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  "c"."id" IN (
    SELECT
      "ch1"."customer_id"
    FROM "customer_channels" AS "ch1"
    WHERE
      NOT "ch1"."customer_id" IS NULL
      AND LOWER(UPPER("ch1"."channel")) COLLATE C = 'whatsapp'
  )
  AND (
    NOT (
      "c"."name" IS NULL OR TRIM("c"."name", ' ') COLLATE C = ''
    )
    AND (
      LENGTH(LOWER(UPPER("c"."name"))) >= 3
      AND SUBSTRING(LOWER(UPPER("c"."name")), LENGTH(LOWER(UPPER("c"."name"))) - 3 + 1, 3) COLLATE C = 'rao'
    )
  )
