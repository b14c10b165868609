SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  "c"."id" IN (
    SELECT
      "ch1"."customer_id"
    FROM "customer_channels" AS "ch1"
    WHERE
      NOT "ch1"."customer_id" IS NULL
      AND LOWER(UPPER("ch1"."channel")) COLLATE C = 'whatsapp'
  )
  AND (
    (
      NOT (
        "c"."name" IS NULL OR TRIM("c"."name", ' ') COLLATE C = ''
      )
      AND STRPOS(LOWER(UPPER("c"."name")) COLLATE C, '50%_off') > 0
    )
    OR (
      NOT (
        "c"."name" IS NULL OR TRIM("c"."name", ' ') COLLATE C = ''
      )
      AND SUBSTRING(LOWER(UPPER("c"."name")), 1, 2) COLLATE C = 'as'
    )
    OR (
      NOT (
        "c"."name" IS NULL OR TRIM("c"."name", ' ') COLLATE C = ''
      )
      AND (
        LENGTH(LOWER(UPPER("c"."name"))) >= 3
        AND SUBSTRING(LOWER(UPPER("c"."name")), LENGTH(LOWER(UPPER("c"."name"))) - 3 + 1, 3) COLLATE C = 'rao'
      )
    )
  )
  AND NOT (
    "c"."email" IS NULL OR TRIM("c"."email", ' ') COLLATE C = ''
  )
  AND NOT (
    NOT "c"."phone" IS NULL
    AND LOWER(
      UPPER(
        REPLACE(
          REPLACE(
            REPLACE(REPLACE(REPLACE(REPLACE("c"."phone", ' ', ''), '-', ''), '.', ''), '(', ''),
            ')',
            ''
          ),
          '+',
          ''
        )
      )
    ) COLLATE C = '919876543210'
  )
  AND (
    (
      NOT "c"."gender" IS NULL
      AND LOWER(UPPER("c"."gender")) COLLATE C IN ('female', 'other')
    )
    OR (
      "c"."gender" IS NULL OR TRIM("c"."gender", ' ') COLLATE C = ''
    )
  )
