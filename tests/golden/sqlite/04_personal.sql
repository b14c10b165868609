SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  (
    (
      NOT (
        "c"."name" IS NULL OR TRIM("c"."name", ' ') COLLATE BINARY = ''
      )
      AND INSTR(LOWER("c"."name") COLLATE BINARY, '50%_off') > 0
    )
    OR (
      NOT (
        "c"."name" IS NULL OR TRIM("c"."name", ' ') COLLATE BINARY = ''
      )
      AND SUBSTRING(LOWER("c"."name"), 1, 2) COLLATE BINARY = 'as'
    )
    OR (
      NOT (
        "c"."name" IS NULL OR TRIM("c"."name", ' ') COLLATE BINARY = ''
      )
      AND (
        LENGTH(LOWER("c"."name")) >= 3
        AND SUBSTRING(LOWER("c"."name"), LENGTH(LOWER("c"."name")) - 3 + 1, 3) COLLATE BINARY = 'rao'
      )
    )
  )
  AND NOT (
    "c"."email" IS NULL OR TRIM("c"."email", ' ') COLLATE BINARY = ''
  )
  AND NOT (
    NOT "c"."phone" IS NULL
    AND LOWER(
      REPLACE(
        REPLACE(
          REPLACE(REPLACE(REPLACE(REPLACE("c"."phone", ' ', ''), '-', ''), '.', ''), '(', ''),
          ')',
          ''
        ),
        '+',
        ''
      )
    ) COLLATE BINARY = '919876543210'
  )
  AND (
    (
      NOT "c"."gender" IS NULL
      AND LOWER("c"."gender") COLLATE BINARY IN ('female', 'other')
    )
    OR (
      "c"."gender" IS NULL OR TRIM("c"."gender", ' ') COLLATE BINARY = ''
    )
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch1"
    WHERE
      "ch1"."customer_id" = "c"."id"
      AND LOWER("ch1"."channel") COLLATE BINARY = 'whatsapp'
  )
