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
      AND LOWER(UPPER("ch1"."channel")) COLLATE C = 'telegram'
  )
  AND "c"."id" IN (
    SELECT
      "f2"."customer_id"
    FROM "customer_fields" AS "f2"
    WHERE
      NOT "f2"."customer_id" IS NULL
      AND "f2"."field_key" COLLATE C = 'returningUser'
      AND LOWER(UPPER(TRIM("f2"."field_value", ' '))) COLLATE C = 'true'
  )
  AND "c"."id" IN (
    SELECT
      "f3"."customer_id"
    FROM "customer_fields" AS "f3"
    WHERE
      NOT "f3"."customer_id" IS NULL
      AND "f3"."field_key" COLLATE C = 'city'
      AND STRPOS(LOWER(UPPER(TRIM("f3"."field_value", ' '))) COLLATE C, 'pun') > 0
  )
  AND NOT "c"."id" IN (
    SELECT
      "f4"."customer_id"
    FROM "customer_fields" AS "f4"
    WHERE
      NOT "f4"."customer_id" IS NULL
      AND "f4"."field_key" COLLATE C = 'city'
      AND LOWER(UPPER(TRIM("f4"."field_value", ' '))) COLLATE C = 'pune'
  )
  AND "c"."id" IN (
    SELECT
      "f5"."customer_id"
    FROM "customer_fields" AS "f5"
    WHERE
      NOT "f5"."customer_id" IS NULL
      AND "f5"."field_key" COLLATE C = 'nickname'
      AND NOT (
        "f5"."field_value" IS NULL OR TRIM("f5"."field_value", ' ') COLLATE C = ''
      )
  )
