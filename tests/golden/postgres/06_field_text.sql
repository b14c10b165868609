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
        "ch1"."channel" COLLATE "C" ILIKE 'telegram'
        OR (
          OCTET_LENGTH("ch1"."channel") > 8
          AND OCTET_LENGTH("ch1"."channel") <> LENGTH("ch1"."channel")
          AND TRANSLATE("ch1"."channel", 'İıſK', 'iisk') COLLATE "C" ILIKE 'telegram'
        )
      )
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f2"
    WHERE
      "f2"."customer_id" = "c"."id"
      AND "f2"."field_key" = 'returningUser'
      AND (
        "f2"."field_value" COLLATE "C" ILIKE 'true'
        OR (
          OCTET_LENGTH("f2"."field_value") > 4
          AND (
            LEFT("f2"."field_value", 1) = ' '
            OR RIGHT("f2"."field_value", 1) = ' '
            OR OCTET_LENGTH("f2"."field_value") <> LENGTH("f2"."field_value")
          )
          AND (
            TRIM(' ' FROM "f2"."field_value") COLLATE "C" ILIKE 'true'
            OR (
              OCTET_LENGTH(TRIM(' ' FROM "f2"."field_value")) > 4
              AND OCTET_LENGTH(TRIM(' ' FROM "f2"."field_value")) <> LENGTH(TRIM(' ' FROM "f2"."field_value"))
              AND TRANSLATE(TRIM(' ' FROM "f2"."field_value"), 'İıſK', 'iisk') COLLATE "C" ILIKE 'true'
            )
          )
        )
      )
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f3"
    WHERE
      "f3"."customer_id" = "c"."id"
      AND "f3"."field_key" = 'city'
      AND POSITION(
        'pun' IN CASE
          WHEN OCTET_LENGTH(TRIM(' ' FROM "f3"."field_value")) = LENGTH(TRIM(' ' FROM "f3"."field_value"))
          THEN LOWER(TRIM(' ' FROM "f3"."field_value") COLLATE "C")
          ELSE TRANSLATE(
            LOWER(TRANSLATE(TRIM(' ' FROM "f3"."field_value"), 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C"
        END
      ) > 0
  )
  AND NOT EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f4"
    WHERE
      "f4"."customer_id" = "c"."id"
      AND "f4"."field_key" = 'city'
      AND (
        "f4"."field_value" COLLATE "C" ILIKE 'pune'
        OR (
          OCTET_LENGTH("f4"."field_value") > 4
          AND (
            LEFT("f4"."field_value", 1) = ' '
            OR RIGHT("f4"."field_value", 1) = ' '
            OR OCTET_LENGTH("f4"."field_value") <> LENGTH("f4"."field_value")
          )
          AND (
            TRIM(' ' FROM "f4"."field_value") COLLATE "C" ILIKE 'pune'
            OR (
              OCTET_LENGTH(TRIM(' ' FROM "f4"."field_value")) > 4
              AND OCTET_LENGTH(TRIM(' ' FROM "f4"."field_value")) <> LENGTH(TRIM(' ' FROM "f4"."field_value"))
              AND TRANSLATE(TRIM(' ' FROM "f4"."field_value"), 'İıſK', 'iisk') COLLATE "C" ILIKE 'pune'
            )
          )
        )
      )
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
