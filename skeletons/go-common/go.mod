module github.com/${{ values.repoSlug }}

go 1.19
