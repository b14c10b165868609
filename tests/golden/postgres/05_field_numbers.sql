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
      AND (
        "ch1"."channel" COLLATE "C" ILIKE 'whatsapp'
        OR (
          OCTET_LENGTH("ch1"."channel") > 8
          AND OCTET_LENGTH("ch1"."channel") <> LENGTH("ch1"."channel")
          AND TRANSLATE("ch1"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'whatsapp'
        )
      )
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f2"
    WHERE
      "f2"."customer_id" = "c"."id"
      AND "f2"."field_key" = 'orders'
      AND CASE
        WHEN TRIM(' ' FROM "f2"."field_value") ~ '^[+-]?[0-9]+([.][0-9]+)?$'
        THEN CASE
          WHEN LENGTH(TRIM(' ' FROM "f2"."field_value")) < 300
          THEN CAST(TRIM(' ' FROM "f2"."field_value") AS DOUBLE PRECISION)
          WHEN CAST(TRIM(' ' FROM "f2"."field_value") AS DECIMAL) >= 1.7976931348623158079e308
          THEN CAST('Infinity' AS DOUBLE PRECISION)
          WHEN CAST(TRIM(' ' FROM "f2"."field_value") AS DECIMAL) <= -1.7976931348623158079E+308
          THEN CAST('-Infinity' AS DOUBLE PRECISION)
          WHEN ABS(CAST(TRIM(' ' FROM "f2"."field_value") AS DECIMAL)) < 2.4703282292062328e-324
          THEN CAST(0 AS DOUBLE PRECISION)
          ELSE CAST(TRIM(' ' FROM "f2"."field_value") AS DOUBLE PRECISION)
        END
      END >= CAST(7 AS DOUBLE PRECISION)
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f3"
    WHERE
      "f3"."customer_id" = "c"."id"
      AND "f3"."field_key" = 'score'
      AND CASE
        WHEN TRIM(' ' FROM "f3"."field_value") ~ '^[+-]?[0-9]+([.][0-9]+)?$'
        THEN CASE
          WHEN LENGTH(TRIM(' ' FROM "f3"."field_value")) < 300
          THEN CAST(TRIM(' ' FROM "f3"."field_value") AS DOUBLE PRECISION)
          WHEN CAST(TRIM(' ' FROM "f3"."field_value") AS DECIMAL) >= 1.7976931348623158079e308
          THEN CAST('Infinity' AS DOUBLE PRECISION)
          WHEN CAST(TRIM(' ' FROM "f3"."field_value") AS DECIMAL) <= -1.7976931348623158079E+308
          THEN CAST('-Infinity' AS DOUBLE PRECISION)
          WHEN ABS(CAST(TRIM(' ' FROM "f3"."field_value") AS DECIMAL)) < 2.4703282292062328e-324
          THEN CAST(0 AS DOUBLE PRECISION)
          ELSE CAST(TRIM(' ' FROM "f3"."field_value") AS DOUBLE PRECISION)
        END
      END < CAST(-2.5 AS DOUBLE PRECISION)
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f4"
    WHERE
      "f4"."customer_id" = "c"."id"
      AND "f4"."field_key" = 'plan'
      AND (
        (
          "f4"."field_value" COLLATE "C" ILIKE 'gold'
          OR "f4"."field_value" COLLATE "C" ILIKE 'true'
          OR (
            OCTET_LENGTH("f4"."field_value") > 4
            AND (
              LEFT("f4"."field_value", 1) = ' '
              OR RIGHT("f4"."field_value", 1) = ' '
              OR OCTET_LENGTH("f4"."field_value") <> LENGTH("f4"."field_value")
            )
            AND (
              TRIM(' ' FROM "f4"."field_value") COLLATE "C" ILIKE 'gold'
              OR TRIM(' ' FROM "f4"."field_value") COLLATE "C" ILIKE 'true'
              OR (
                OCTET_LENGTH(TRIM(' ' FROM "f4"."field_value")) > 4
                AND OCTET_LENGTH(TRIM(' ' FROM "f4"."field_value")) <> LENGTH(TRIM(' ' FROM "f4"."field_value"))
                AND (
                  TRANSLATE(TRIM(' ' FROM "f4"."field_value"), 'İıſK', 'iisk') COLLATE "C" ILIKE 'gold'
                  OR TRANSLATE(TRIM(' ' FROM "f4"."field_value"), 'İıſK', 'iisk') COLLATE "C" ILIKE 'true'
                )
              )
            )
          )
        )
        OR CASE
          WHEN TRIM(' ' FROM "f4"."field_value") ~ '^[+-]?[0-9]+([.][0-9]+)?$'
          THEN CASE
            WHEN LENGTH(TRIM(' ' FROM "f4"."field_value")) < 300
            THEN CAST(TRIM(' ' FROM "f4"."field_value") AS DOUBLE PRECISION)
            WHEN CAST(TRIM(' ' FROM "f4"."field_value") AS DECIMAL) >= 1.7976931348623158079e308
            THEN CAST('Infinity' AS DOUBLE PRECISION)
            WHEN CAST(TRIM(' ' FROM "f4"."field_value") AS DECIMAL) <= -1.7976931348623158079E+308
            THEN CAST('-Infinity' AS DOUBLE PRECISION)
            WHEN ABS(CAST(TRIM(' ' FROM "f4"."field_value") AS DECIMAL)) < 2.4703282292062328e-324
            THEN CAST(0 AS DOUBLE PRECISION)
            ELSE CAST(TRIM(' ' FROM "f4"."field_value") AS DOUBLE PRECISION)
          END
        END = CAST(3 AS DOUBLE PRECISION)
      )
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f5"
    WHERE
      "f5"."customer_id" = "c"."id"
      AND "f5"."field_key" = 'plan type'
      AND NOT (
        "f5"."field_value" IS NULL OR TRIM(' ' FROM "f5"."field_value") = ''
      )
  )
