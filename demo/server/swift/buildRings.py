# Builds the account, container and object rings of a one-device, one-replica Swift into a directory.
# One Python process for the three rings: swift-ring-builder would start Python nine times.
# Usage: python3 buildRings.py DIRECTORY ACCOUNT_PORT CONTAINER_PORT OBJECT_PORT
import sys
from swift.common.ring import RingBuilder

directory = sys.argv[1]
ports = {'account': int(sys.argv[2]), 'container': int(sys.argv[3]), 'object': int(sys.argv[4])}
for name, port in ports.items():
    # part_power 6: few partitions build fast; one replica; min_part_hours 0 so a rebalance never waits.
    builder = RingBuilder(6, 1, 0)
    builder.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': port,
                     'device': 'd1', 'weight': 100, 'meta': ''})
    builder.rebalance()
    builder.save('%s/%s.builder' % (directory, name))
    builder.get_ring().save('%s/%s.ring.gz' % (directory, name))
