"""The command line's help in Chinese, shown by ``--help`` unless ``--lang en`` (or ``PRACTICE_GRAPH_LANG=en``).

The English help lives with each command in ``cli.py``; this module holds its Chinese, keyed by command and option
name, and is read only when help is printed. The examples of each command are not repeated here: the help shows
the English help's own example block. A test checks that every command and every option has its Chinese.
"""

from __future__ import annotations

__all__ = ["COMMANDS", "OPTIONS", "OPTIONS_BY_COMMAND", "EXTRAS", "WORDS"]

#: command ("" for practice-graph itself) -> (the line in the list of commands, the description above the examples;
#: paragraphs separated by an empty line, a paragraph starting with a backslash-b line printed as it is).
COMMANDS = {
    "": (
        "城市、它们报告的做法，以及这些做法共有的举措。",
        "城市、它们报告的做法，以及这些做法共有的举措。回答：哪些城市做法相近、为什么，两市共有什么，"
        "一个城市可以向谁借鉴什么；每个回答都能追溯到来源文献中的原句。",
    ),
    "validate": (
        "检查数据集，逐条列出问题。",
        "检查数据集：每个问题单独一行，格式为 文件:行号: 说明；有问题时退出码为 1。",
    ),
    "stats": (
        "数据集统计：数量、共有最多的举措、各城市举措数。",
        "按类型计数，列出共有最多的举措，以及各城市的举措数和独特性。",
    ),
    "show": (
        "一个实体的属性及其关系和原文依据。",
        "一个实体：它的属性和关系，每条关系附原文依据。\n\n"
        "NAME 可以是中文名、英文名、别名或标识（潜江、潜江市、Qianjiang、city:qianjiang）。",
    ),
    "shared": (
        "几个城市的共有举措及各自的原文依据。",
        "CITIES 共有的举措，每项附各城市的原文依据。",
    ),
    "similar": (
        "与一个城市最相似的城市，及相似的理由。",
        "与 CITY 最相似的城市：每个附相似度、重合的显著性 p 值，以及解释相似度的共有举措（贡献大的在前）"
        "和各城市的原文。\n\n"
        "随附数据是一次性的自述材料：它说明谁与谁相近、谁可以借鉴什么，不说明谁向谁学习过。"
        "若报道有多个日期，每个相似城市还会显示在共有举措中各方率先报道的项数（按报道日期，不是采用日期）。",
    ),
    "rank": (
        "各城市最相似的城市；--pairs 给出全部城市对。",
        "各城市最相似的城市；加 --pairs 则列出全部城市对（共有举措数、各项度量、p 值、是否同省、距离公里数），"
        "按 --metric 排序：供研究者使用的城市对表。",
    ),
    "recommend": (
        "一个城市可借鉴的举措，以及向谁借鉴。",
        "CITY 尚未报告、而最相似的城市已有的举措，每项附可借鉴的城市及其原文。\n\n"
        "随附数据是一次性的自述材料：它说明谁与谁相近、谁可以借鉴什么，不说明谁向谁学习过。"
        "若报道有多个日期，每项举措还会给出最先报道它的城市和日期（报道日期，不是采用日期）。",
    ),
    "evaluate": (
        "各推荐度量的留一法检验，与热门程度基线对比。",
        "按各度量做推荐的留一法 hit@k、MRR 和 NDCG@k，与按热门程度推荐的基线并列，附自助法 95% 置信区间。\n\n"
        "依次隐藏每一条“城市—举措”联系（仅限另有两个城市采用的举措），不用它重新计算相似度，"
        "再为该城市缺少的举措排序：1,000 个城市 × 5,000 项举措的 22,000 条联系约需 10 秒，"
        "5,000 × 20,000 的 113,000 条约需 90 秒；stderr 为终端时显示进度条。",
    ),
    "timeline": (
        "谁在何时报道了什么；可写成离线 HTML 时间线。",
        "谁在何时报道了什么，率先报道的在前：全部举措、一项 INITIATIVE，或一个 --city。\n\n"
        "日期是报道该采用的最早有日期来源（报道日期，不是采用日期）；旁边给出最近一次报道，表下给出观察期"
        "（最早和最晚的有日期来源）。加 -o FILE（或 --html）则写成离线 HTML 视图：城市按行排在时间轴上，"
        "可搜索，每个点附来源和原文；--ties 把推断的扩散联系画成箭头。页面语言随 --lang（默认中文，"
        "--lang en 为英文）。",
    ),
    "diffusion": (
        "从首次报道的先后推断城市间的扩散联系（NetInf）。",
        "根据各城市首次报道的先后推断城市间的扩散联系（NetInf），每条附支持它的举措。\n\n"
        "每项举措是一串首次报道日期；一条联系只说明多项举措的报道顺序符合“先源头、后目标”，"
        "不能证明一个城市向另一个城市学习过，报道日期也不是采用日期。",
    ),
    "view": (
        "写出交互式 HTML 视图（离线可用）。",
        "写出一个交互式 HTML 视图：单个文件，离线可用，带搜索、图例和详情面板。\n\n"
        "不加视图选项时为总览：所有城市、做法、举措和主题。文件自成一体（无需网络），其路径打印在标准错误上。"
        "--metric 选择 --similarity 视图和各城市详情中相似城市所用的相似度。--matrix 改为画出城市 × 举措矩阵，"
        "--compare 在矩阵页上并排对比两个城市（演示模式：按 P 键，用方向键逐个城市或城市对翻看）。",
    ),
    "ingest": (
        "从新文章生成候选数据供审核；--apply 并入。",
        "从新文章（UTF-8 或 GB18030 文本）生成候选数据行供审核；--apply 把它们并入数据集。\n\n"
        "文章可以是汇编（各节以 潜江市:标题 这样的小标题开头）、一地的新闻报道、列有编号措施的工作报告，"
        "或讲到几个地方的连续文字；日期取自正文（或 --date）。候选数据（带 status 和 confidence 列的 "
        "entities.csv、relations.csv）写到 --out 供审核；审核过的文件夹作为 FILE 给出，加 --apply 并入。"
        "再运行一次不会重复添加。",
    ),
    "export": (
        "为其他工具导出图或表格。",
        "为其他工具导出图或表格；写出的路径打印在标准错误上。\n\n"
        "\b\n"
        "FORMAT 是文件格式而不是输出样式（所以是参数，不是 --format）：\n"
        "  graphml  Gephi、Cytoscape、igraph（Python 和 R：\n"
        '           read_graph(..., format="graphml")）\n'
        "  gexf     Gephi 自己的格式\n"
        "  json     networkx 节点—连线 JSON（graph.export.read_node_link 可读回）\n"
        "  csv      一个文件夹：adoption_matrix.csv、adoptions.csv（含原文）、\n"
        "           dyads.csv、entities.csv 和 relations.csv\n"
        "           （连同 sources/：本身就是一个数据集）\n"
        "  parquet  城市对表，单个 Parquet 文件（DuckDB、pandas、Spark、R arrow）\n"
        "来自有日期的报道（报道日期，不是采用日期；见 docs/history.md）：\n"
        "  cascades    node_name, event_time, cascade_id（R NetworkInference）\n"
        "  adoptions   每个城市和举措一行：首次报道、来源、原文（类似 SPID）\n"
        "  dyad-years  有向事件史：举措、年份、i、j、是否报道、协变量\n"
        "  dyad-years-parquet  同一张表，单个 Parquet 文件",
    ),
    "report": (
        "为会议写出一份独立的 HTML 报告。",
        "为会议写出一份独立的 HTML 报告：主要数字、共有最多的举措、每个城市一张卡片（相似城市、可借鉴之处、"
        "原文）、相似度热图、群组和总览图。\n\n"
        "文件离线可用，打印整洁，不含任何外部链接。相似度说明谁与谁相近，不说明谁向谁学习过："
        "数据是一次性的自述材料，没有日期。",
    ),
}

#: option (its parameter name) -> help, for every command that has it
OPTIONS = {
    "fmt": "table 供人阅读；csv 和 json 供脚本使用（标准输出上只有数据）。",
    "lang": "表格、标题和说明的语言：zh 或 en（名称和原文保持数据中的样子）。默认：practice-graph --lang，否则 zh。",
    "metric": "相似度度量（见文档：idf-cosine 给少见的共有举措更高权重）。",
    "peers": "参照的最相似城市数。",
    "help": "显示此帮助并退出。",
    "version": "显示版本号并退出。",
    "output": "要写出的文件。",
    "open_": "用默认浏览器打开文件。",
}

#: (command, option) -> help, where it differs from :data:`OPTIONS`
OPTIONS_BY_COMMAND = {
    (
        "",
        "data",
    ): "数据集文件夹（entities.csv、relations.csv、sources/）。默认：随附的数据集；环境变量 PRACTICE_GRAPH_DATA。",
    ("", "lang"): "表格、标题、说明、视图和报告的语言：zh（默认）或 en。名称和原文保持数据中的样子；"
    "csv 和 json 保留英文列名。环境变量 PRACTICE_GRAPH_LANG。",
    ("", "include_methods"): "也按工作方式比较城市（主题“工作推进机制”：试点先行、督导督查、常态化制度化、责任落实），"
    "相似度、推荐、统计和导出默认不计入它们。",
    ("stats", "top"): "列出多少项举措。",
    ("similar", "top"): "列出多少个相似城市。",
    ("rank", "top"): "每个城市列出的相似城市数。",
    ("rank", "pairs"): "改为城市对表：全部城市对及各项度量。",
    ("recommend", "top"): "列出多少项举措。",
    ("evaluate", "metrics"): "要检验的度量；可重复给出多个。总会包括热门程度基线。",
    ("evaluate", "k"): "hit@k 和 NDCG@k 的截断位置。",
    ("evaluate", "bootstrap"): "自助法重抽样次数。",
    ("evaluate", "seed"): "自助法的随机种子。",
    ("timeline", "city"): "改为一个城市的报道，而不是一项举措的。",
    ("timeline", "output"): "把时间线写成离线 HTML 视图到此文件，而不是打印行。",
    ("timeline", "as_html"): "把 HTML 视图写到当前文件夹中的 timeline[-名称].html。",
    ("timeline", "ties"): "HTML 视图：把推断的扩散联系画成箭头。",
    ("timeline", "open_"): "用默认浏览器打开 HTML 视图。",
    ("diffusion", "transmission"): "一个城市报道到下一个城市报道之间的时间服从何种分布。",
    ("diffusion", "edges"): "推断这么多条联系（否则按 --p-value）。",
    ("diffusion", "p_value"): "遇到第一条 p 值高于此值的联系即停止。  [默认：不加 --edges 时为 0.05]",
    ("view", "city"): "一个城市的邻域（潜江、潜江市、Qianjiang、city:qianjiang）。",
    ("view", "depth"): "与 --city 一起：离城市几步。  [默认：1]",
    ("view", "initiative"): "一项举措：采用它的城市及其做法。",
    ("view", "theme"): "一个主题：它的举措和采用这些举措的城市。",
    ("view", "similarity"): "以最强的显著相似度连接城市。",
    ("view", "matrix"): "城市 × 举措矩阵：相近的城市和共有举措并排，每格附原文。",
    ("view", "compare"): "并排对比两个城市（在矩阵页上）：两市都报告的、仅一方报告的、相似度、p 值、稳定性。",
    ("view", "layout"): "map 把城市固定在其坐标上，其余节点排在周围。  [默认：force]",
    ("view", "level"): "initiative 合并做法：城市直接连到其采用的举措。  [默认：practice]",
    ("view", "output"): "要写出的 HTML 文件。  [默认：按视图得出的文件名，在当前文件夹中]",
    ("view", "lang"): "页面标题、图例、面板和说明的语言：zh 或 en（名称和原文保持数据中的样子）。"
    "默认：practice-graph --lang，否则 zh。",
    ("ingest", "out"): "候选文件所在的文件夹。默认：以（第一个）FILE 命名的文件夹，在当前文件夹中。",
    ("ingest", "apply_changes"): "把候选数据并入数据文件夹：先校验，旧文件保留在 DATA/.backup/<时间>/ 中。",
    ("ingest", "min_confidence"): "与 --apply 一起：只并入置信度至少为此值的候选。"
    "[默认：文章为 0.7（不并入待核实的行），审核过的文件夹为 0]",
    ("ingest", "date"): "文章的日期，优先于正文中的日期（正文没有日期时必须给出）。",
    ("ingest", "layout"): "如何读取文章。  [默认：按每篇文本自动判断]",
    ("export", "output"): "要写出的文件（csv：一个文件夹）。默认：当前文件夹中的 practice-graph.graphml、.gexf、.json、"
    "practice-graph-csv/、practice-graph-dyads.parquet、practice-graph-dyad-years.parquet 或 "
    "practice-graph-FORMAT.csv。",
    ("export", "time_unit"): "cascades：事件时间以十进制年份或自 1970-01-01 起的天数表示。",
    ("export", "pairs"): "csv 和 parquet：城市对表包括哪些城市对：all 全部，shared 有共有举措的，"
    "auto（2,000 个城市以内全部，以上只取共有的）。",
    ("report", "output"): "要写出的 HTML 文件。",
    (
        "report",
        "lang",
    ): "报告自身文字的语言：zh 或 en（名称和原文保持数据中的样子）。默认：practice-graph --lang，否则 zh。",
}

#: the words click adds after an option's help, between brackets
EXTRAS = {"default": "默认", "env var": "环境变量", "required": "必填"}

#: headings and labels of the help page
WORDS = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Examples:": "示例：",
    "Example:": "示例：",
}
