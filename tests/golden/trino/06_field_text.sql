SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id" AND LOWER("ch1"."channel") = 'telegram'
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f2"
    WHERE
      "f2"."customer_id" = "c"."id"
      AND "f2"."field_key" = 'returningUser'
      AND LOWER(TRIM(' ' FROM "f2"."field_value")) = 'true'
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f3"
    WHERE
      "f3"."customer_id" = "c"."id"
      AND "f3"."field_key" = 'city'
      AND STRPOS(LOWER(TRIM(' ' FROM "f3"."field_value")), 'pun') > 0
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f4"
    WHERE
      "f4"."customer_id" = "c"."id"
      AND "f4"."field_key" = 'city'
      AND LOWER(TRIM(' ' FROM "f4"."field_value")) = 'pune'
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f5"
    WHERE
      "f5"."customer_id" = "c"."id"
      AND "f5"."field_key" = 'nickname'
      AND NOT (
        "f5"."field_value" IS NULL OR TRIM(' ' FROM "f5"."field_value") = ''
      )
  )
