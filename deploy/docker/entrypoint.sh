#!/bin/sh
# The image's entry point (deploy/Dockerfile). The first argument is the mode:
#   api | worker | all   python -m isp_<service> <mode> [more arguments]   (ISP_SERVICE_NAME)
#   migrate              isp migrate --service <service>   (every service in the platform image)
#   anything else        run as given: isp …, routeros-sim …, python …
set -eu

service="${ISP_SERVICE_NAME:-}"
mode="${1:-api}"
[ "$#" -gt 0 ] && shift

case "$mode" in
  api|worker|all)
    case "$service" in
      ""|isp|platform)
        echo "entrypoint: '$mode' needs ISP_SERVICE_NAME to name a service (this image is '$service')" >&2
        exit 2 ;;
    esac
    module="isp_$(printf '%s' "$service" | tr '-' '_')"
    exec python -m "$module" "$mode" "$@" ;;
  migrate)
    case "$service" in
      ""|isp|platform) exec isp migrate "$@" ;;
      *) exec isp migrate --service "$service" "$@" ;;
    esac ;;
  *)
    exec "$mode" "$@" ;;
esac
