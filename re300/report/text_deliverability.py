"""Sentences of the memo on deliverable exports, firm capacity and the deliverability frontier (issue 14), in Korean
and English; merged into `re300.report.text.TEXT`."""
from __future__ import annotations

# No U+2212 (minus sign) in these texts: NanumGothic has no glyph for it; use "-".
DELIVERABILITY_TEXT: dict[str, dict[str, str]] = {
    "hl_cost_gross_val": {
        "en": "{cost} gross; {avg} delivered (Honam demand {demand} + exports delivered {exports} + electricity for "
              "the hydrogen sold {hydrogen})",
        "ko": "총비용 {cost}; 공급 전력량(호남 수요 {demand} + 수도권 도착 송전량 {exports} + 판매 수소 생산 전력 {hydrogen}) "
              "기준 {avg}"},
    "hl_cost_net": {
        "en": "Net of the value created: {net} = {net_avg} delivered, after {displaced} of fuel and carbon the capital "
              "region no longer burns when it takes Honam's exports and {sales} of hydrogen sold to industry "
              "(summary.csv net_system_cost)",
        "ko": "창출 가치를 뺀 순비용: {net} = 공급 전력량 기준 {net_avg} (수도권이 호남 전력을 받아 줄인 연료·탄소 비용 {displaced}, "
              "산업체 수소 판매 {sales} 차감; summary.csv net_system_cost)"},
    "hl_exports_net_val": {
        "en": "{twh} delivered net over the routes to the Capital region (sent {gross}, {back} brought back over the "
              "two-way AC route){hydrogen_part} = {ratio} × Honam consumption counted",
        "ko": "수도권 방향 송전로로 순 {twh} 도착 (송전 {gross}, 양방향 교류 선로로 되돌아온 {back}){hydrogen_part} = "
              "호남 소비량의 {ratio}배로 인정"},
    "hl_hydrogen_part": {"en": " + {twh} of electricity sold as hydrogen ({h2} of hydrogen, LHV){counted}",
                         "ko": " + 수소로 판매한 전력 {twh} (수소 {h2}, 저위발열량){counted}"},
    "hl_hydrogen_counted": {"en": ", counted as export by the 2021 study's reading",
                            "ko": ", 2021년 연구의 정의에 따라 송출로 인정"},
    "hl_hydrogen_not_counted": {"en": ", NOT counted as export (exports.hydrogen_sales_count: false)",
                                "ko": ", 송출로 인정하지 않음(exports.hydrogen_sales_count: false)"},
    "hl_deliver": {"en": "Can the capital region take it?", "ko": "수도권이 받을 수 있는가"},
    "hl_absorption_limited": {
        "en": "Limited absorption: in each hour the Capital region takes at most its demand minus the output it cannot "
              "turn down (must-run) and its own solar; it takes all it can in {hours} of the year and could take "
              "{headroom} in the year (summary.csv absorption_limit_hours, absorption_headroom)",
        "ko": "흡수 한도 적용: 수도권은 매시간 자체 수요에서 감발할 수 없는 발전(경직성 전원)과 자체 태양광을 뺀 만큼만 받음; "
              "연중 {hours} 동안 한도까지 받았고, 연간 받을 수 있는 최대량은 {headroom} (summary.csv absorption_limit_hours, "
              "absorption_headroom)"},
    "hl_absorption_limited_rule": {
        "en": "Limited absorption: in each hour the Capital region takes at most its demand minus the output it cannot "
              "turn down (must-run) and its own solar",
        "ko": "흡수 한도 적용: 수도권은 매시간 자체 수요에서 감발할 수 없는 발전(경직성 전원)과 자체 태양광을 뺀 만큼만 받음"},
    "hl_absorption_unlimited": {
        "en": "Unlimited absorption (exports.absorption: unlimited): the Capital region takes anything at any hour - the "
              "old assumption, shown for comparison, not a deliverable plan",
        "ko": "흡수 한도 없음(exports.absorption: unlimited): 수도권이 언제든 무엇이든 받는다는 예전 가정으로, 비교용이며 "
              "실현 가능한 계획이 아님"},
    "hl_renewable_only": {
        "en": "Renewable-only exports: non-renewable energy entering Honam serves only Honam's load, hour by hour; "
              "non-renewable energy beyond it: {beyond} (summary.csv nonrenewable_beyond_honam_load)",
        "ko": "재생에너지만 송출: 호남에 들어오는 비재생 전력은 매시간 호남 부하에만 쓰임; 이를 넘는 비재생 전력 {beyond} "
              "(summary.csv nonrenewable_beyond_honam_load)"},
    "hl_renewable_only_off": {
        "en": "Renewable-only exports switched OFF (exports.renewable_only: false): grid power may be counted as export",
        "ko": "재생에너지만 송출 규칙 해제(exports.renewable_only: false): 계통 전력이 송출로 계산될 수 있음"},
    "hl_charge_item": {"en": "{name}, charging side (electrolysers): {gw}", "ko": "{name} 충전부(수전해 설비): {gw}"},
    "hl_storage_charge": {"en": "charging side (electrolysers) {total} in total, {new} new",
                          "ko": "충전부(수전해 설비) 총 {total}, 신규 {new}"},
    "hl_adequacy": {"en": "Firm capacity (adequacy)", "ko": "확정 설비용량(적정성)"},
    "hl_adequacy_val": {
        "en": "{firm} credited against {need} = (1 + reserve margin) × Honam peak: generators {gen}, storage {sto}, "
              "imports {imp} at their capacity credits; new gas turbines {gas}",
        "ko": "인정 용량 {firm}, 필요량 {need} = (1 + 예비율) × 호남 최대수요: 발전기 {gen}, 저장장치 {sto}, 수입 {imp} "
              "(각 용량 인정률 적용); 신규 가스터빈 {gas}"},
    "hl_adequacy_storage_note": {
        "en": "Storage is credited only as far as the rule needs it (at most its credit × power, and × energy / "
              "storage hours), so 0 means the other firm capacity suffices",
        "ko": "저장장치는 규칙에 필요한 만큼만 인정(최대 인정률 × 출력, 에너지 / 지속시간), 0이면 다른 확정 용량으로 충분하다는 뜻"},
    "hl_limits": {"en": "Limits reached that rest on estimates", "ko": "추정치에 기댄 제약"},
    "hl_limits_val": {
        "en": "{n} of {total} binding limits rest on estimates or scenario levers, not found figures (binding_limits.csv "
              "status); the answer moves with them",
        "ko": "도달한 제약 {total}개 중 {n}개가 확인된 수치가 아닌 추정치나 시나리오 설정에 기댐(binding_limits.csv status); "
              "결과는 이 값에 따라 달라짐"},
    "hl_limits_none": {"en": "none: every binding limit is a found figure", "ko": "없음: 도달한 제약은 모두 확인된 수치"},
    "hl_limit_item": {"en": "{name}: {value} ({kind}; {status})", "ko": "{name}: {value} ({kind}; {status})"},
    # ---- the frontier section ----------------------------------------------------------------------------------
    "h_frontier": {"en": "How much can Honam deliver? The deliverability frontier",
                   "ko": "호남은 얼마나 송출할 수 있는가: 송출 가능 경계"},
    "frontier_intro": {
        "en": "From the sweep `{sweep}` (`make sweep SWEEP={sweep}`, {members} runs of this scenario: renewable target "
              "× West-Coast HVDC corridor capacity allowed × absorption rule × hydrogen accounting; frontier.csv). A share is delivered when "
              "Honam's counted renewable energy and 1 + its counted exports both reach it.",
        "ko": "스윕 `{sweep}`(`make sweep SWEEP={sweep}`, 이 시나리오의 {members}개 실행: 재생에너지 목표 × 서해안 HVDC 허용 용량 × "
              "흡수 규칙 × 수소 산입 방식; frontier.csv)에서 가져옴. 인정 재생에너지와 1 + 인정 송출량이 모두 그 배율에 도달하면 달성으로 봄."},
    "frontier_sentence": {
        "en": "With the planned {planned} corridor (absorption limited) Honam delivers at most RE{share}; the highest "
              "target of the sweep met in full is RE{met}, at {avg} delivered ({net} net).",
        "ko": "계획된 {planned} 송전로(흡수 한도 적용)로 호남은 최대 RE{share}를 공급함; 스윕에서 완전히 달성된 가장 높은 목표는 "
              "RE{met}이며, 공급 전력량 기준 {avg}(순 {net})임."},
    "frontier_re300": {
        "en": "RE300 is met from a corridor of {corridor} on, with {storage} / {energy} of batteries and pumped hydro "
              "and {electrolysis} of electrolysis.",
        "ko": "RE300은 {corridor} 이상의 송전로에서 달성되며, 이때 배터리·양수 {storage} / {energy}, 수전해 {electrolysis}가 필요함."},
    "frontier_no_re300": {
        "en": "RE300 is not met at any corridor tried (up to {corridor}); the most delivered is RE{share}.",
        "ko": "시도한 어떤 송전로 용량(최대 {corridor})에서도 RE300에 이르지 못함; 최대 달성은 RE{share}."},
    "frontier_stale": {
        "en": "The sweep's runs read other contents of {files} than this run: rerun the sweep.",
        "ko": "스윕 실행이 이 실행과 다른 내용의 {files}을(를) 읽었음: 스윕을 다시 실행하십시오."},
    "frontier_none": {
        "en": "Not computed for this run: `make sweep SWEEP=deliverability` runs the frontier of the flagship "
              "(renewable share × HVDC corridor × absorption) and the memo then shows it here.",
        "ko": "이 실행에 대해서는 계산되지 않음: `make sweep SWEEP=deliverability`로 대표 시나리오의 경계(재생에너지 배율 × HVDC "
              "송전로 × 흡수 규칙)를 계산하면 여기에 표시됨."},
    "frontier_caption": {
        "en": "Per corridor capacity allowed and absorption rule: the highest target met, the share delivered at the "
              "top target (RE300), and at the highest target met its cost per MWh delivered (gross / net), battery and "
              "pumped-hydro power / energy, electrolysis, corridor built (frontier.csv).",
        "ko": "허용 송전로 용량·흡수 규칙별: 달성한 최고 목표, 최고 목표(RE300)에서 달성한 배율, 그리고 달성한 최고 목표에서의 "
              "공급 전력량당 비용(총/순), 배터리·양수 출력/에너지, 수전해, 건설된 송전로(frontier.csv)."},
    "fr_col_corridor": {"en": "HVDC allowed", "ko": "HVDC 허용"},
    "fr_col_counted": {"en": "hydrogen counted", "ko": "수소 인정"},
    "yes": {"en": "yes", "ko": "예"},
    "no": {"en": "no", "ko": "아니오"},
    "frontier_h2_counted": {"en": "Hydrogen sold to industry counted as export (the study's reading): ",
                            "ko": "산업체 수소 판매를 송출로 인정(연구의 정의): "},
    "frontier_h2_not_counted": {"en": "Only electricity delivered to the Capital region counted: ",
                                "ko": "수도권에 도착한 전력만 인정: "},
    "fr_col_absorption": {"en": "absorption", "ko": "흡수"},
    "fr_col_met": {"en": "highest met", "ko": "최고 달성 목표"},
    "fr_col_share": {"en": "delivered at RE300", "ko": "RE300 목표 시 달성"},
    "fr_col_cost": {"en": "KRW/MWh gross / net", "ko": "원/MWh 총/순"},
    "fr_col_storage": {"en": "storage GW / GWh", "ko": "저장 GW / GWh"},
    "fr_col_h2": {"en": "electrolysis GW", "ko": "수전해 GW"},
    "fr_col_built": {"en": "HVDC built", "ko": "HVDC 건설"},
    "fig_frontier": {"en": "Deliverability frontier", "ko": "송출 가능 경계"},
    "fig_frontier_cap": {
        "en": "Left: renewable share delivered at the top target (RE300) and the highest target met, against the "
              "HVDC corridor capacity allowed; right: cost per MWh delivered at the highest target met (gross, net). "
              "From frontier.csv of the sweep.",
        "ko": "왼쪽: HVDC 허용 용량별 최고 목표(RE300)에서 달성한 배율과 달성한 최고 목표; 오른쪽: 달성한 최고 목표에서의 "
              "공급 전력량당 비용(총, 순). 스윕의 frontier.csv."},
}
