# A WSGI filter for the demo's and tests' Swift: answers that s3api or tempauth produce before the
# proxy's own CORS handling (a refused signature, an expired URL) get CORS headers too, as AWS S3 gives
# them when a bucket CORS rule matches, so a page can read the S3 error code instead of a bare network error.
EXPOSED = 'etag, x-amz-request-id, content-type, content-length'


def filter_factory(global_conf, **local_conf):
    def factory(app):
        def middleware(environ, start_response):
            origin = environ.get('HTTP_ORIGIN')
            if not origin:
                return app(environ, start_response)

            def with_cors(status, headers, exc_info=None):
                names = set(name.lower() for name, _ in headers)
                if 'access-control-allow-origin' not in names:
                    headers = list(headers) + [('Access-Control-Allow-Origin', origin)]
                    if 'access-control-expose-headers' not in names:
                        headers.append(('Access-Control-Expose-Headers', EXPOSED))
                return start_response(status, headers, exc_info)

            return app(environ, with_cors)
        return middleware
    return factory
