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
    FROM "carts" AS "k2"
    WHERE
      "k2"."customer_id" = "c"."id"
      AND (
        "k2"."channel" COLLATE "C" ILIKE 'whatsapp'
        OR (
          OCTET_LENGTH("k2"."channel") <> LENGTH("k2"."channel")
          AND TRANSLATE(
            LOWER(TRANSLATE("k2"."channel", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C" = 'whatsapp'
        )
      )
      AND "k2"."item_count" > 0
      AND NOT "k2"."paid"
  )
