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
      "f2"."customer_id"
    FROM "customer_fields" AS "f2"
    WHERE
      NOT "f2"."customer_id" IS NULL
      AND "f2"."field_key" COLLATE C = 'orders'
      AND CASE
        WHEN REGEXP_FULL_MATCH(TRIM("f2"."field_value", ' '), '[+-]?[0-9]+([.][0-9]+)?')
        THEN CAST(TRIM("f2"."field_value", ' ') AS DOUBLE)
      END >= CAST(7 AS DOUBLE)
  )
  AND "c"."id" IN (
    SELECT
      "f3"."customer_id"
    FROM "customer_fields" AS "f3"
    WHERE
      NOT "f3"."customer_id" IS NULL
      AND "f3"."field_key" COLLATE C = 'score'
      AND CASE
        WHEN REGEXP_FULL_MATCH(TRIM("f3"."field_value", ' '), '[+-]?[0-9]+([.][0-9]+)?')
        THEN CAST(TRIM("f3"."field_value", ' ') AS DOUBLE)
      END < CAST(-2.5 AS DOUBLE)
  )
  AND "c"."id" IN (
    SELECT
      "f4"."customer_id"
    FROM "customer_fields" AS "f4"
    WHERE
      NOT "f4"."customer_id" IS NULL
      AND "f4"."field_key" COLLATE C = 'plan'
      AND (
        LOWER(UPPER(TRIM("f4"."field_value", ' '))) COLLATE C IN ('gold', 'true')
        OR CASE
          WHEN REGEXP_FULL_MATCH(TRIM("f4"."field_value", ' '), '[+-]?[0-9]+([.][0-9]+)?')
          THEN CAST(TRIM("f4"."field_value", ' ') AS DOUBLE)
        END = CAST(3 AS DOUBLE)
      )
  )
  AND NOT "c"."id" IN (
    SELECT
      "f5"."customer_id"
    FROM "customer_fields" AS "f5"
    WHERE
      NOT "f5"."customer_id" IS NULL
      AND "f5"."field_key" COLLATE C = 'plan type'
      AND NOT (
        "f5"."field_value" IS NULL OR TRIM("f5"."field_value", ' ') COLLATE C = ''
      )
  )
