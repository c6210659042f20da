"""Schemathesis checks of MBT's own (scripts/fuzz-api.sh)."""
import json
import os

import schemathesis

# {"orders": ["1", "2"], "strategies": ["1"]}: another user's ids, by the collection they live in.
OTHER_IDS = {name: set(ids) for name, ids in json.loads(os.environ.get("MBT_FUZZ_OTHER_IDS", "{}")).items()}


@schemathesis.check
def other_users_data_unreachable(ctx, response, case):
    """A request naming another user's order or strategy never succeeds: to this user it does not exist."""
    segments = case.formatted_path.strip("/").split("/")
    for collection, ids in OTHER_IDS.items():
        for index, segment in enumerate(segments[:-1]):
            if segment == collection and segments[index + 1] in ids and 200 <= response.status_code < 300:
                raise AssertionError(f"{case.method} {case.formatted_path} answered {response.status_code} with another user's id")
