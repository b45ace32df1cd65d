"""Sentences of the weather stress test (the memo's headline row, `re300 stress` on the console and summary.md), in
Korean and English; merged into `re300.report.text.TEXT`."""
from __future__ import annotations

STRESS_TEXT: dict[str, dict[str, str]] = {
    "st_label": {"en": "Weather stress test", "ko": "기상 스트레스 테스트"},
    "st_not_tested": {"en": "not stress-tested (run `re300 stress {run}` to re-dispatch this plan on many weather years)",
                   "ko": "스트레스 테스트 안 함 (`re300 stress {run}`으로 여러 기상 연도에 재급전)"},
    "st_range": {"en": "{n} weather years ({what}), chronological {k}-h steps: total cost {lo}–{hi} {unit} (the plan "
                    "as solved: {plan}); {short} of {n} years miss a target or leave demand unserved",
              "ko": "기상 {n}개 연도({what}), {k}시간 단위 연속 운전: 총비용 {lo}–{hi} {unit} (계획 당시 {plan}); "
                    "{n}개 연도 중 {short}개 연도에서 목표 미달 또는 공급 부족"},
    "st_what": {"en": "{syn} synthetic{meas}", "ko": "합성 {syn}개{meas}"},
    "st_meas": {"en": " + measured {years}", "ko": " + 실측 {years}"},
    "st_worst": {"en": "worst year: {name} (wind CF {wind}, solar CF {solar}): renewable shortfall {re}, export shortfall "
                    "{ex}, unserved {un}, non-renewable supply {nonre}, total cost {cost}",
              "ko": "최악 연도: {name} (풍력 이용률 {wind}, 태양광 이용률 {solar}): 재생에너지 목표 미달 {re}, 송전 목표 미달 "
                    "{ex}, 공급 부족 {un}, 비재생 공급 {nonre}, 총비용 {cost}"},
    "st_ranges": {"en": "over the stress years: non-renewable supply {nlo}–{nhi} TWh, curtailment {clo}–{chi} TWh",
               "ko": "스트레스 연도 범위: 비재생 공급 {nlo}–{nhi} TWh, 출력제한 {clo}–{chi} TWh"},
    "st_failed": {"en": "not solved: {names}", "ko": "풀리지 않음: {names}"},
}
