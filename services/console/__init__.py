"""The staff web console: a backend-for-frontend over the four services' public HTTP APIs."""
