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
        "ch1"."channel" COLLATE "C" ILIKE 'webchat'
        OR (
          OCTET_LENGTH("ch1"."channel") <> LENGTH("ch1"."channel")
          AND TRANSLATE(
            LOWER(TRANSLATE("ch1"."channel", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C" = 'webchat'
        )
      )
  )
  AND NOT NOT EXISTS(
    SELECT
      1
    FROM "interactions" AS "i2"
    WHERE
      "i2"."customer_id" = "c"."id"
      AND (
        "i2"."channel" COLLATE "C" ILIKE 'webchat'
        OR (
          OCTET_LENGTH("i2"."channel") <> LENGTH("i2"."channel")
          AND TRANSLATE(
            LOWER(TRANSLATE("i2"."channel", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C" = 'webchat'
        )
      )
      AND "i2"."talked_with_agent"
  )
