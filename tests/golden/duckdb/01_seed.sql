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
  AND "c"."id" IN (
    SELECT
      "t2"."customer_id"
    FROM "customer_tags" AS "t2"
    WHERE
      NOT "t2"."customer_id" IS NULL AND LOWER(UPPER("t2"."tag")) COLLATE C = 'vip'
  )
  AND (
    NOT "c"."gender" IS NULL AND LOWER(UPPER("c"."gender")) COLLATE C = 'female'
  )
  AND "c"."id" IN (
    SELECT
      "i3"."customer_id"
    FROM "interactions" AS "i3"
    WHERE
      NOT "i3"."customer_id" IS NULL
      AND LOWER(UPPER("i3"."channel")) COLLATE C = 'whatsapp'
      AND "i3"."occurred_at" >= CAST('2026-10-29 12:00:00' AS TIMESTAMP)
  )
  AND "c"."id" IN (
    SELECT
      "f4"."customer_id"
    FROM "customer_fields" AS "f4"
    WHERE
      NOT "f4"."customer_id" IS NULL
      AND "f4"."field_key" COLLATE C = 'returningUser'
      AND LOWER(UPPER(TRIM("f4"."field_value", ' '))) COLLATE C = 'true'
  )
