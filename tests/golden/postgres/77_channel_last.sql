SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  EXISTS(
    SELECT
      1
    FROM "customer_tags" AS "t1"
    WHERE
      "t1"."customer_id" = "c"."id"
      AND (
        "t1"."tag" COLLATE "C" ILIKE 'vip'
        OR (
          OCTET_LENGTH("t1"."tag") <> LENGTH("t1"."tag")
          AND TRANSLATE(
            LOWER(TRANSLATE("t1"."tag", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C" = 'vip'
        )
      )
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch2"
    WHERE
      "ch2"."customer_id" = "c"."id"
      AND (
        "ch2"."channel" COLLATE "C" ILIKE 'sms'
        OR (
          OCTET_LENGTH("ch2"."channel") <> LENGTH("ch2"."channel")
          AND TRANSLATE(
            LOWER(TRANSLATE("ch2"."channel", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C" = 'sms'
        )
      )
  )
