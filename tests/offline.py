"""Pages that must not reach the network: the browser tests record every request that leaves."""


def record_requests_leaving(context, allowed):
    """Abort every request of the Playwright `context` whose address does not start with one of
    the `allowed` prefixes; returns the list those addresses are appended to."""
    leaving = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(allowed):
            request_route.continue_()
        else:
            leaving.append(url)
            request_route.abort()

    context.route("**/*", route)
    return leaving
