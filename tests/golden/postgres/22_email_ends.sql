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
    NOT (
      "c"."email" IS NULL OR TRIM(' ' FROM "c"."email") = ''
    )
    AND (
      LENGTH(
        CASE
          WHEN OCTET_LENGTH("c"."email") = LENGTH("c"."email")
          THEN LOWER("c"."email" COLLATE "C")
          ELSE TRANSLATE(
            LOWER(TRANSLATE("c"."email", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C"
        END
      ) >= 12
      AND SUBSTRING(CASE
        WHEN OCTET_LENGTH("c"."email") = LENGTH("c"."email")
        THEN LOWER("c"."email" COLLATE "C")
        ELSE TRANSLATE(
          LOWER(TRANSLATE("c"."email", 'İ', 'i') COLLATE "und-x-icu"),
          'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
          'μisισβθφπκρεвдосттъѣꙋṡι'
        ) COLLATE "C"
      END FROM LENGTH(
        CASE
          WHEN OCTET_LENGTH("c"."email") = LENGTH("c"."email")
          THEN LOWER("c"."email" COLLATE "C")
          ELSE TRANSLATE(
            LOWER(TRANSLATE("c"."email", 'İ', 'i') COLLATE "und-x-icu"),
            'µıſͅςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛι',
            'μisισβθφπκρεвдосттъѣꙋṡι'
          ) COLLATE "C"
        END
      ) - 12 + 1 FOR 12) = '@example.com'
    )
  )
