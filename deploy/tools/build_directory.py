#!/usr/bin/env python3
"""Builds deploy/directory.json (the proto3 JSON of halfhour.v1.Directory) from the
sub-district's directory TSV. Run it again when the TSV changes; the output is committed and
embedded in the engine as its default directory."""
import json
import re
import sys

ROAD_LANE = re.compile(r"^(?P<road>.+?路)(?P<nums>[\d、]+)(?P<suffix>弄|号)(?P<part>[AB])?$")
CN_PHASE = {"一期": "1期", "二期": "2期", "三期": "3期"}

# Names residents call a community by, each checked against every name, committee and road of
# the directory so that it points at one community only.
NICKNAMES = {
    # No other community, committee or road begins with 意凯.
    "意凯家园": ["意凯"],
    # The estate's own part of the name: no other community ends in 雅筑 (金色 is shared with nothing
    # either, but residents say 雅筑).
    "金色雅筑": ["雅筑"],
    # 金谊 is 金谊河畔 alone (the committee 金一 is written with other characters).
    "金谊河畔": ["金谊"],
    # The three phases of 湾流域 as residents shorten them; 湾 begins no other name.
    "湾流域一期": ["湾一"],
    "湾流域二期": ["湾二"],
    "湾流域三期": ["湾三"],
}
# Names as they are spelt in pinyin (street signs, phones without Chinese input), syllables apart.
PINYIN = {
    "凌云公寓": "ling yun gong yu", "丹桂苑": "dan gui yuan", "馨乐苑": "xin le yuan", "丁香苑": "ding xiang yuan",
    "凌兆佳苑": "ling zhao jia yuan", "锦翠苑": "jin cui yuan", "锦丽新苑": "jin li xin yuan",
    "三林苑": "san lin yuan", "衡辰三林苑(西)": "heng chen san lin yuan xi", "翠竹苑": "cui zhu yuan",
    "安居苑": "an ju yuan", "衡辰三林苑(东)": "heng chen san lin yuan dong", "品华苑": "pin hua yuan",
    "红枫苑": "hong feng yuan", "红柿苑": "hong shi yuan", "品珍苑": "pin zhen yuan", "品新苑": "pin xin yuan",
    "金桂苑": "jin gui yuan", "品诚苑": "pin cheng yuan", "银杏苑": "yin xing yuan", "棕榈苑": "zong lü yuan",
    "古银杏苑": "gu yin xing yuan", "盛源公寓": "sheng yuan gong yu", "美林别墅": "mei lin bie shu",
    "永泰花苑": "yong tai hua yuan", "意凯家园": "yi kai jia yuan", "金禾新苑": "jin he xin yuan",
    "金橘新苑": "jin ju xin yuan", "樱桃苑": "ying tao yuan", "金谊河畔": "jin yi he pan",
    "金色雅筑": "jin se ya zhu", "湾流域一期": "wan liu yu yi qi", "湾流域二期": "wan liu yu er qi",
    "湾流域三期": "wan liu yu san qi", "尚桂苑": "shang gui yuan", "兰庭苑": "lan ting yuan",
    # Shared names: their pinyin must be read whole, or "san lin yuan" inside it would be 三林苑.
    "衡辰三林苑": "heng chen san lin yuan", "衡辰": "heng chen", "湾流域": "wan liu yu",
}

# Short names of estates split into parts: "衡辰" is both halves of 衡辰三林苑 (a shared name),
# "衡辰东区" one of them.
ESTATE_SHORT = {"衡辰三林苑": "衡辰"}


def check_nicknames(communities):
    """A nickname that is part of another community's name, committee or road would send that
    community's requests to the wrong firm: refuse to build such a directory."""
    for c in communities:
        for nick in NICKNAMES.get(c["name"], []):
            for other in communities:
                if other is c:
                    continue
                words = [other["name"], other["committee"], other.get("road", "")]
                if any(nick in w for w in words if w):
                    sys.exit(f"nickname {nick} of {c['name']} is also part of {other['name']}")


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
                    short = ESTATE_SHORT.get(q[1])
                    if short:
                        aliases += [short + q[2], short + q[2] + "区"]
                aliases += NICKNAMES.get(name, [])
                if aliases:
                    entry["aliases"] = aliases
                if name not in PINYIN:
                    sys.exit(f"no pinyin for {name}: add it to PINYIN")
                entry["pinyin"] = PINYIN[name]
            communities.append(entry)

    check_nicknames(communities)

    # Names residents use that cover several communities: never guess between them.
    shared = {}
    for c in communities:
        q = re.match(r"^(.+)\((东|西)\)$", c["name"])
        if q:
            shared.setdefault(q[1], []).append(c["name"])
            if q[1] in ESTATE_SHORT:
                shared.setdefault(ESTATE_SHORT[q[1]], []).append(c["name"])
        p = re.match(r"^(.+?)[一二三]期$", c["name"])
        if p:
            shared.setdefault(p[1], []).append(c["name"])
    directory = {
        "district": "东明路街道",
        "station": "街道物业应急维修服务站",
        "centre": "建管中心",
        "communities": communities,
        "shared_names": [{"name": k, "communities": v, "pinyin": PINYIN[k]} for k, v in shared.items() if len(v) > 1],
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(directory, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(communities)} communities, {len(directory['shared_names'])} shared names -> {out_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
