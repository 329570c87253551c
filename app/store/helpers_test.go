package store

import (
	"database/sql"
	"net/url"
)

// openRaw opens the file with extra URI parameters, bypassing Open's checks.
func openRaw(path, params string) (*sql.DB, error) {
	u := url.URL{Scheme: "file", Path: path}
	return sql.Open("sqlite3", u.String()+"?"+params)
}
