/**
 * The configuration files of a single-node Swift with the S3 API, written per instance: every port,
 * path and the hash suffix belong to one instance, so several can run side by side.
 */
export interface SwiftLayout {
  /** Holds swift.conf, the rings and the server configs (each server's swift_dir). */
  etc: string;
  /** The devices root: one device, `d1`, a plain directory (mount_check off). */
  devices: string;
  /** Recon cache and other run-time state. */
  run: string;
  ports: { proxy: number; account: number; container: number; object: number; memcached: number };
  hashSuffix: string;
}

export const SWIFT_USER = { account: 'test', user: 'tester', key: 'testing' } as const;
export const SWIFT_REGION = 'us-east-1';
/** S3's smallest part but the last; s3api's default is the same, set here so the tests rely on it. */
const MIN_SEGMENT_SIZE = 5 * 1024 * 1024;

function common(layout: SwiftLayout, port: number): string {
  // workers = 0: one process per server, no forking, so the process group holds everything.
  // Logs go to syslog where there is one (there is none in CI): warnings and errors only.
  return `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
swift_dir = ${layout.etc}
devices = ${layout.devices}
mount_check = false
log_level = WARNING
recon_cache_path = ${layout.run}
`;
}

export function swiftConf(layout: SwiftLayout): string {
  return `[swift-hash]
swift_hash_path_suffix = ${layout.hashSuffix}
swift_hash_path_prefix = lean-upload

[storage-policy:0]
name = Policy-0
default = yes

[swift-constraints]
`;
}

/** account, container and object servers: the same shape, one app each. */
export function storageServerConf(layout: SwiftLayout, kind: 'account' | 'container' | 'object'): string {
  return `${common(layout, layout.ports[kind])}
[pipeline:main]
pipeline = healthcheck ${kind}-server

[app:${kind}-server]
use = egg:swift#${kind}

[filter:healthcheck]
use = egg:swift#healthcheck
`;
}

/**
 * The proxy: s3api (path-style, us-east-1) in front of tempauth. Bucket CORS is not in Swift's S3 API
 * (PutBucketCors answers 501), so CORS comes from here: s3api answers preflights, the proxy adds
 * Allow-Origin and exposes ETag on answers, and corsOnErrors adds both to the errors that s3api and
 * tempauth return before the proxy is reached (a refused signature), so a page can read them.
 */
export function proxyConf(layout: SwiftLayout): string {
  const { account, user, key } = SWIFT_USER;
  return `${common(layout, layout.ports.proxy)}
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cors_on_errors cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
cors_allow_origin = *
cors_expose_headers = etag, x-amz-request-id, x-amz-version-id, x-amz-checksum-crc32, x-amz-checksum-crc32c, x-amz-checksum-crc64nvme, x-amz-checksum-sha256

[filter:s3api]
use = egg:swift#s3api
location = ${SWIFT_REGION}
min_segment_size = ${MIN_SEGMENT_SIZE}
cors_preflight_allow_origin = *
s3_acl = false

[filter:tempauth]
use = egg:swift#tempauth
user_${account}_${user} = ${key} .admin

[filter:cors_on_errors]
paste.filter_factory = corsOnErrors:filter_factory

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:${layout.ports.memcached}

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo
`;
}
