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
        "ch1"."channel" COLLATE "C" ILIKE 'sms'
        OR (
          OCTET_LENGTH("ch1"."channel") <> LENGTH("ch1"."channel")
          AND TRANSLATE(
            LOWER(TRANSLATE("ch1"."channel", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C" = 'sms'
        )
      )
  )
  AND (
    NOT EXISTS(
      SELECT
        1
      FROM "customer_tags" AS "t2"
      WHERE
        "t2"."customer_id" = "c"."id"
        AND (
          "t2"."tag" COLLATE "C" ILIKE 'x'
          OR (
            OCTET_LENGTH("t2"."tag") <> LENGTH("t2"."tag")
            AND TRANSLATE(
              LOWER(TRANSLATE("t2"."tag", 'İ', 'i') COLLATE "und-x-icu"),
              'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
              'μisισβθφπκρεвдосттъѣꙋṡι'
            ) COLLATE "C" = 'x'
          )
        )
    )
    OR NOT (
      "c"."name" IS NULL OR TRIM(' ' FROM "c"."name") = ''
    )
  )
