"""TPC-H data generator in Python, following the specification's rules.

The pip build of DuckDB does not carry its tpch extension (dbgen) and it
cannot be downloaded here, so the benchmark makes its own data.  This module
follows section 4.2.3 of the TPC-H specification (revision 3): the table
cardinalities for a scale factor, sparse order keys, the partsupp supplier
formula, retail prices, order status and total price derived from the order's
lines, the ship/commit/receipt date offsets, return flags and line status
relative to CURRENTDATE, phone numbers from the nation key, part names from
the 92 colours, types, containers, segments, priorities, instructions and
modes, and comments cut from a text pool made with the specification's
grammar (4.2.2.14).  Supplier comments carry the "Customer ... Complaints" and
"Customer ... Recommends" phrases on SF*5 rows each (at least one row each, so
query 16 has something to exclude at small scale factors).

It is not bit-for-bit dbgen: the random streams differ, and the text pool is
a few hundred kilobytes instead of 300 MB.  It is deterministic: the same
scale factor and seed always give the same rows.  Each table is written as
one Parquet file by DuckDB, with the types of schema.sql.
"""
import datetime
import random

import duckdb
import pyarrow as pa

START = datetime.date(1992, 1, 1).toordinal()
END = datetime.date(1998, 12, 31).toordinal()
CURRENT = datetime.date(1995, 6, 17).toordinal()
EPOCH = datetime.date(1970, 1, 1).toordinal()

REGIONS = ["AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"]
NATIONS = [
    ("ALGERIA", 0), ("ARGENTINA", 1), ("BRAZIL", 1), ("CANADA", 1), ("EGYPT", 4),
    ("ETHIOPIA", 0), ("FRANCE", 3), ("GERMANY", 3), ("INDIA", 2), ("INDONESIA", 2),
    ("IRAN", 4), ("IRAQ", 4), ("JAPAN", 2), ("JORDAN", 4), ("KENYA", 0),
    ("MOROCCO", 0), ("MOZAMBIQUE", 0), ("PERU", 1), ("CHINA", 2), ("ROMANIA", 3),
    ("SAUDI ARABIA", 4), ("VIETNAM", 2), ("RUSSIA", 3), ("UNITED KINGDOM", 3),
    ("UNITED STATES", 1),
]
COLORS = (
    "almond antique aquamarine azure beige bisque black blanched blue blush brown "
    "burlywood burnished chartreuse chiffon chocolate coral cornflower cornsilk cream "
    "cyan dark deep dim dodger drab firebrick floral forest frosted gainsboro ghost "
    "goldenrod green grey honeydew hot indian ivory khaki lace lavender lawn lemon "
    "light lime linen magenta maroon medium metallic midnight mint misty moccasin "
    "navajo navy olive orange orchid pale papaya peach peru pink plum powder puff "
    "purple red rose rosy royal saddle salmon sandy seashell sienna sky slate smoke "
    "snow spring steel tan thistle tomato turquoise violet wheat white yellow"
).split()
TYPE_1 = ["STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"]
TYPE_2 = ["ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"]
TYPE_3 = ["TIN", "NICKEL", "BRASS", "STEEL", "COPPER"]
CONTAINER_1 = ["SM", "LG", "MED", "JUMBO", "WRAP"]
CONTAINER_2 = ["CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"]
SEGMENTS = ["AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"]
PRIORITIES = ["1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"]
INSTRUCTIONS = ["DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"]
MODES = ["REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"]

# The grammar's word lists (specification 4.2.2.13).
NOUNS = (
    "foxes ideas theodolites pinto_beans instructions dependencies excuses platelets "
    "asymptotes courts dolphins multipliers sauternes warthogs frets dinos attainments "
    "somas Tiresias' patterns forges braids hockey_players frays warhorses dugouts "
    "notornis epitaphs pearls tithes waters orbits gifts sheaves depths sentiments "
    "decoys realms pains grouches escapades packages requests accounts deposits"
).replace("_", " ").split(" ")
VERBS = (
    "sleep wake are cajole haggle nag use boost affix detect integrate maintain nod was "
    "lose sublate solve thrash promise engage hinder print x-ray breach eat grow impress "
    "mold poach serve run dazzle snooze doze unwind kindle play hang believe doubt"
).split()
ADJECTIVES = (
    "furious sly careful blithe quick fluffy slow quiet ruthless thin close dogged "
    "daring brave stealthy permanent enticing idle busy regular final ironic even bold "
    "silent special pending unusual express"
).split()
ADVERBS = (
    "sometimes always never furiously slyly carefully blithely quickly fluffily slowly "
    "quietly ruthlessly thinly closely doggedly daringly bravely stealthily permanently "
    "enticingly idly busily regularly finally ironically evenly boldly silently"
).split()
PREPOSITIONS = [
    "about", "above", "according to", "across", "after", "against", "along",
    "alongside of", "among", "around", "at", "atop", "before", "behind", "beneath",
    "beside", "besides", "between", "beyond", "by", "despite", "during", "except",
    "for", "from", "in place of", "inside", "instead of", "into", "near", "of", "on",
    "outside", "over", "past", "since", "through", "throughout", "to", "toward",
    "under", "until", "up", "upon", "without", "with", "within",
]
AUXILIARIES = [
    "do", "may", "might", "shall", "will", "would", "can", "could", "should",
    "ought to", "must", "will have to", "shall have to", "could have to",
    "should have to", "must have to", "need to", "try to",
]
TERMINATORS = [".", ";", ":", "?", "!", "--"]
VSTRING_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ, "

POOL_SIZE = 400_000


def noun_phrase(r):
    shape = r.randrange(4)
    if shape == 0:
        return r.choice(NOUNS)
    if shape == 1:
        return f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)}"
    if shape == 2:
        return f"{r.choice(ADJECTIVES)}, {r.choice(ADJECTIVES)} {r.choice(NOUNS)}"
    return f"{r.choice(ADVERBS)} {r.choice(ADJECTIVES)} {r.choice(NOUNS)}"


def verb_phrase(r):
    shape = r.randrange(4)
    if shape == 0:
        return r.choice(VERBS)
    if shape == 1:
        return f"{r.choice(AUXILIARIES)} {r.choice(VERBS)}"
    if shape == 2:
        return f"{r.choice(VERBS)} {r.choice(ADVERBS)}"
    return f"{r.choice(AUXILIARIES)} {r.choice(VERBS)} {r.choice(ADVERBS)}"


def prepositional_phrase(r):
    return f"{r.choice(PREPOSITIONS)} the {noun_phrase(r)}"


def sentence(r):
    shape = r.randrange(5)
    if shape == 0:
        words = [noun_phrase(r), verb_phrase(r)]
    elif shape == 1:
        words = [noun_phrase(r), verb_phrase(r), prepositional_phrase(r)]
    elif shape == 2:
        words = [noun_phrase(r), verb_phrase(r), noun_phrase(r)]
    elif shape == 3:
        words = [noun_phrase(r), prepositional_phrase(r), verb_phrase(r), noun_phrase(r)]
    else:
        words = [noun_phrase(r), prepositional_phrase(r), verb_phrase(r), prepositional_phrase(r)]
    return " ".join(words) + r.choice(TERMINATORS)


class Text:
    """The text pool and the two kinds of random strings cut or built from it."""

    def __init__(self, seed):
        r = random.Random(seed)
        parts, size = [], 0
        while size < POOL_SIZE:
            s = sentence(r)
            parts.append(s)
            size += len(s) + 1
        self.pool = " ".join(parts)

    def text(self, r, lo, hi):
        """A substring of the pool, of random length between lo and hi."""
        n = r.randint(lo, hi)
        at = r.randrange(len(self.pool) - n)
        return self.pool[at:at + n]


def vstring(r, lo, hi):
    """A random-length string of characters from the 64-character alphabet."""
    return "".join(r.choices(VSTRING_CHARS, k=r.randint(lo, hi)))


def phone(r, nationkey):
    return f"{nationkey + 10}-{r.randint(100, 999)}-{r.randint(100, 999)}-{r.randint(1000, 9999)}"


def decimals(cents):
    """numeric(15,2) values from integer hundredths, without rounding."""
    raw = b"".join(c.to_bytes(16, "little", signed=True) for c in cents)
    return pa.Array.from_buffers(pa.decimal128(15, 2), len(cents), [None, pa.py_buffer(raw)])


def dates(ordinals):
    return pa.array([d - EPOCH for d in ordinals], pa.int32()).cast(pa.date32())


def ints(values):
    return pa.array(values, pa.int32())


def partsupp_suppkey(partkey, i, suppliers):
    return (partkey + i * (suppliers // 4 + (partkey - 1) // suppliers)) % suppliers + 1


def retail_cents(partkey):
    return 90000 + (partkey // 10) % 20001 + 100 * (partkey % 1000)


def make_region(text, seed):
    r = random.Random(seed)
    return pa.table({
        "r_regionkey": ints(range(5)),
        "r_name": REGIONS,
        "r_comment": [text.text(r, 31, 115) for _ in REGIONS],
    })


def make_nation(text, seed):
    r = random.Random(seed)
    return pa.table({
        "n_nationkey": ints(range(25)),
        "n_name": [n for n, _ in NATIONS],
        "n_regionkey": ints([k for _, k in NATIONS]),
        "n_comment": [text.text(r, 31, 114) for _ in NATIONS],
    })


def make_supplier(text, seed, count, sf):
    r = random.Random(seed)
    cols = {k: [] for k in ("s_suppkey", "s_name", "s_address", "s_nationkey",
                            "s_phone", "s_acctbal", "s_comment")}
    for key in range(1, count + 1):
        nation = r.randint(0, 24)
        cols["s_suppkey"].append(key)
        cols["s_name"].append(f"Supplier#{key:09d}")
        cols["s_address"].append(vstring(r, 10, 40))
        cols["s_nationkey"].append(nation)
        cols["s_phone"].append(phone(r, nation))
        cols["s_acctbal"].append(r.randint(-99999, 999999))
        cols["s_comment"].append(text.text(r, 25, 100))
    # Section 4.2.3: SF*5 comments complain about customers, SF*5 recommend.
    marked = max(1, round(sf * 5))
    rows = r.sample(range(count), min(count, 2 * marked))
    for n, row in enumerate(rows):
        word = "Complaints" if n < marked else "Recommends"
        comment = cols["s_comment"][row]
        middle = text.text(r, 0, max(0, len(comment) - 8 - len(word)))
        start = r.randint(0, len(comment) - 8 - len(word) - len(middle))
        cols["s_comment"][row] = (comment[:start] + "Customer" + middle + word
                                  + comment[start + 8 + len(middle) + len(word):])
    return pa.table({
        "s_suppkey": ints(cols["s_suppkey"]), "s_name": cols["s_name"],
        "s_address": cols["s_address"], "s_nationkey": ints(cols["s_nationkey"]),
        "s_phone": cols["s_phone"], "s_acctbal": decimals(cols["s_acctbal"]),
        "s_comment": cols["s_comment"],
    })


def make_part(text, seed, count):
    r = random.Random(seed)
    names, mfgrs, brands, types, sizes, containers, comments = [], [], [], [], [], [], []
    for _ in range(count):
        names.append(" ".join(r.sample(COLORS, 5)))
        m = r.randint(1, 5)
        mfgrs.append(f"Manufacturer#{m}")
        brands.append(f"Brand#{m}{r.randint(1, 5)}")
        types.append(f"{r.choice(TYPE_1)} {r.choice(TYPE_2)} {r.choice(TYPE_3)}")
        sizes.append(r.randint(1, 50))
        containers.append(f"{r.choice(CONTAINER_1)} {r.choice(CONTAINER_2)}")
        comments.append(text.text(r, 5, 22))
    keys = range(1, count + 1)
    return pa.table({
        "p_partkey": ints(keys), "p_name": names, "p_mfgr": mfgrs, "p_brand": brands,
        "p_type": types, "p_size": ints(sizes), "p_container": containers,
        "p_retailprice": decimals([retail_cents(k) for k in keys]), "p_comment": comments,
    })


def make_partsupp(text, seed, parts, suppliers):
    r = random.Random(seed)
    pk, sk, qty, cost, comments = [], [], [], [], []
    for partkey in range(1, parts + 1):
        for i in range(4):
            pk.append(partkey)
            sk.append(partsupp_suppkey(partkey, i, suppliers))
            qty.append(r.randint(1, 9999))
            cost.append(r.randint(100, 100000))
            comments.append(text.text(r, 49, 198))
    return pa.table({
        "ps_partkey": ints(pk), "ps_suppkey": ints(sk), "ps_availqty": ints(qty),
        "ps_supplycost": decimals(cost), "ps_comment": comments,
    })


def make_customer(text, seed, count):
    r = random.Random(seed)
    nations, phones, addresses, balances, segments, comments = [], [], [], [], [], []
    for _ in range(count):
        nation = r.randint(0, 24)
        nations.append(nation)
        addresses.append(vstring(r, 10, 40))
        phones.append(phone(r, nation))
        balances.append(r.randint(-99999, 999999))
        segments.append(r.choice(SEGMENTS))
        comments.append(text.text(r, 29, 116))
    keys = range(1, count + 1)
    return pa.table({
        "c_custkey": ints(keys), "c_name": [f"Customer#{k:09d}" for k in keys],
        "c_address": addresses, "c_nationkey": ints(nations), "c_phone": phones,
        "c_acctbal": decimals(balances), "c_mktsegment": segments, "c_comment": comments,
    })


def make_orders_lineitem(text, seed, count, customers, parts, suppliers, clerks):
    r = random.Random(seed)
    o = {k: [] for k in ("key", "cust", "status", "total", "date", "prio", "clerk", "comment")}
    li = {k: [] for k in ("order", "part", "supp", "line", "qty", "price", "disc", "tax",
                          "flag", "status", "ship", "commit", "receipt", "instr", "mode",
                          "comment")}
    for i in range(count):
        orderkey = (i // 8) * 32 + i % 8 + 1
        custkey = r.randint(1, customers)
        while custkey % 3 == 0:  # a third of the customers never order
            custkey = r.randint(1, customers)
        orderdate = r.randint(START, END - 151)
        total, shipped, lines = 0, 0, r.randint(1, 7)
        for number in range(1, lines + 1):
            partkey = r.randint(1, parts)
            qty = r.randint(1, 50)
            price = qty * retail_cents(partkey)
            disc, tax = r.randint(0, 10), r.randint(0, 8)
            ship = orderdate + r.randint(1, 121)
            receipt = ship + r.randint(1, 30)
            li["order"].append(orderkey)
            li["part"].append(partkey)
            li["supp"].append(partsupp_suppkey(partkey, r.randint(0, 3), suppliers))
            li["line"].append(number)
            li["qty"].append(qty * 100)
            li["price"].append(price)
            li["disc"].append(disc)
            li["tax"].append(tax)
            li["flag"].append(r.choice("RA") if receipt <= CURRENT else "N")
            li["status"].append("O" if ship > CURRENT else "F")
            li["ship"].append(ship)
            li["commit"].append(orderdate + r.randint(30, 90))
            li["receipt"].append(receipt)
            li["instr"].append(r.choice(INSTRUCTIONS))
            li["mode"].append(r.choice(MODES))
            li["comment"].append(text.text(r, 10, 43))
            total += price * (100 + tax) * (100 - disc) // 10000
            shipped += ship <= CURRENT
        o["key"].append(orderkey)
        o["cust"].append(custkey)
        o["status"].append("F" if shipped == lines else "O" if shipped == 0 else "P")
        o["total"].append(total)
        o["date"].append(orderdate)
        o["prio"].append(r.choice(PRIORITIES))
        o["clerk"].append(f"Clerk#{r.randint(1, clerks):09d}")
        o["comment"].append(text.text(r, 19, 78))
    orders = pa.table({
        "o_orderkey": ints(o["key"]), "o_custkey": ints(o["cust"]),
        "o_orderstatus": o["status"], "o_totalprice": decimals(o["total"]),
        "o_orderdate": dates(o["date"]), "o_orderpriority": o["prio"], "o_clerk": o["clerk"],
        "o_shippriority": ints([0] * count), "o_comment": o["comment"],
    })
    lineitem = pa.table({
        "l_orderkey": ints(li["order"]), "l_partkey": ints(li["part"]),
        "l_suppkey": ints(li["supp"]), "l_linenumber": ints(li["line"]),
        "l_quantity": decimals(li["qty"]), "l_extendedprice": decimals(li["price"]),
        "l_discount": decimals(li["disc"]), "l_tax": decimals(li["tax"]),
        "l_returnflag": li["flag"], "l_linestatus": li["status"],
        "l_shipdate": dates(li["ship"]), "l_commitdate": dates(li["commit"]),
        "l_receiptdate": dates(li["receipt"]), "l_shipinstruct": li["instr"],
        "l_shipmode": li["mode"], "l_comment": li["comment"],
    })
    return orders, lineitem


def generate(sf, outdir, seed=19920101):
    """Writes OUTDIR/<table>.parquet for the eight tables; returns the row counts."""
    text = Text(seed)
    suppliers = max(1, int(sf * 10_000))
    parts = max(1, int(sf * 200_000))
    customers = max(3, int(sf * 150_000))
    orders, lineitem = make_orders_lineitem(
        text, seed + 7, max(1, int(sf * 1_500_000)), customers, parts, suppliers,
        max(1, int(sf * 1_000)))
    tables = {
        "region": make_region(text, seed + 1),
        "nation": make_nation(text, seed + 2),
        "supplier": make_supplier(text, seed + 3, suppliers, sf),
        "part": make_part(text, seed + 4, parts),
        "partsupp": make_partsupp(text, seed + 5, parts, suppliers),
        "customer": make_customer(text, seed + 6, customers),
        "orders": orders,
        "lineitem": lineitem,
    }
    con = duckdb.connect()
    counts = {}
    for name, table in tables.items():
        con.register("generated", table)
        con.execute(f"COPY generated TO '{outdir}/{name}.parquet' (FORMAT parquet)")
        con.unregister("generated")
        counts[name] = table.num_rows
    con.close()
    return counts
