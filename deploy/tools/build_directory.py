#!/usr/bin/env python3
"""Builds deploy/directory.json (the proto3 JSON of halfhour.v1.Directory) from the
sub-district's directory TSV. Run it again when the TSV changes; the output is committed and
embedded in the engine as its default directory."""
import json
import re
import sys

ROAD_LANE = re.compile(r"^(?P<road>.+?路)(?P<nums>[\d、]+)(?P<suffix>弄|号)(?P<part>[AB])?$")
CN_PHASE = {"一期": "1期", "二期": "2期", "三期": "3期"}


def main(tsv_path, out_path):
    communities = []
    with open(tsv_path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            name = re.sub(r"\s+", "", row["community"])
            entry = {
                "seq": int(row["seq"]),
                "name": name,
                "committee": row["committee"].strip(),
                "firm": re.sub(r"\s+", "", row["property_firm"]),
            }
            m = ROAD_LANE.match(name)
            if m:
                entry["road"] = m["road"]
                entry["numbers"] = [int(n) for n in m["nums"].split("、") if n]
                entry["number_suffix"] = m["suffix"]
                if m["part"]:
                    entry["part"] = m["part"]
            else:
                aliases = []
                for cn, digit in CN_PHASE.items():
                    if cn in name:
                        aliases.append(name.replace(cn, digit))
                q = re.match(r"^(.+)\((东|西)\)$", name)
                if q:
                    aliases += [q[1] + q[2], q[1] + q[2] + "区", q[1] + "(" + q[2] + "区)"]
                if aliases:
                    entry["aliases"] = aliases
            communities.append(entry)

    # Names residents use that cover several communities: never guess between them.
    shared = {}
    for c in communities:
        q = re.match(r"^(.+)\((东|西)\)$", c["name"])
        if q:
            shared.setdefault(q[1], []).append(c["name"])
        p = re.match(r"^(.+?)[一二三]期$", c["name"])
        if p:
            shared.setdefault(p[1], []).append(c["name"])
    directory = {
        "district": "东明路街道",
        "station": "街道物业应急维修服务站",
        "centre": "建管中心",
        "communities": communities,
        "shared_names": [{"name": k, "communities": v} for k, v in shared.items() if len(v) > 1],
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(directory, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(communities)} communities, {len(directory['shared_names'])} shared names -> {out_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
