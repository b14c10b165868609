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
  AND NOT (
    NOT "c"."gender" IS NULL
    AND (
      "c"."gender" COLLATE "C" ILIKE 'other'
      OR (
        OCTET_LENGTH("c"."gender") <> LENGTH("c"."gender")
        AND TRANSLATE(
          LOWER(TRANSLATE("c"."gender", 'İ', 'i') COLLATE "und-x-icu"),
          'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
          'μisισβθφπκρεвдосттъѣꙋṡι'
        ) COLLATE "C" = 'other'
      )
    )
  )
