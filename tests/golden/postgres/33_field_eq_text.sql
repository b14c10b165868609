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
          OCTET_LENGTH("ch1"."channel") <> LENGTH("ch1"."channel")
          AND TRANSLATE(
            LOWER(TRANSLATE("ch1"."channel", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C" = 'whatsapp'
        )
      )
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_fields" AS "f2"
    WHERE
      "f2"."customer_id" = "c"."id"
      AND "f2"."field_key" = 'plan'
      AND (
        "f2"."field_value" COLLATE "C" ILIKE 'gold'
        OR (
          (
            LEFT("f2"."field_value", 1) = ' '
            OR RIGHT("f2"."field_value", 1) = ' '
            OR OCTET_LENGTH("f2"."field_value") <> LENGTH("f2"."field_value")
          )
          AND (
            TRIM(' ' FROM "f2"."field_value") COLLATE "C" ILIKE 'gold'
            OR (
              OCTET_LENGTH(TRIM(' ' FROM "f2"."field_value")) <> LENGTH(TRIM(' ' FROM "f2"."field_value"))
              AND TRANSLATE(
                LOWER(TRANSLATE(TRIM(' ' FROM "f2"."field_value"), 'İ', 'i') COLLATE "und-x-icu"),
                'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
                'μisισβθφπκρεвдосттъѣꙋṡι'
              ) COLLATE "C" = 'gold'
            )
          )
        )
      )
  )
