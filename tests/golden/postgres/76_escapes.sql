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
  AND (
    NOT "c"."name" IS NULL
    AND CASE
      WHEN OCTET_LENGTH("c"."name") = LENGTH("c"."name")
      THEN LOWER("c"."name" COLLATE "C")
      ELSE TRANSLATE(
        LOWER(TRANSLATE("c"."name", 'İ', 'i') COLLATE "und-x-icu"),
        'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
        'μisισβθφπκρεвдосттъѣꙋṡι'
      ) COLLATE "C"
    END = 'say "hi" \ it''s	ok é'
  )
