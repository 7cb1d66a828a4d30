"""Who and where: roles, channels, the district's towns, the demo duty bodies and mediators."""

from __future__ import annotations

from typing import Final

ROLES: Final[dict[str, tuple[str, str]]] = {
    "intake_officer": ("受理员", "Intake officer"),
    "reporter": ("报告人", "Reporter"),
    "complainant": ("申请人", "Applicant"),
    "respondent": ("被申请人", "Respondent"),
    "mediator": ("调解员", "Mediator"),
    "committee": ("调解委员会", "Mediation committee"),
    "department": ("责任部门", "Department"),
    "supervisor": ("督办人", "Supervisor"),
    "admin": ("管理员", "Administrator"),
    "follower": ("同一问题的其他报告人", "Follower (same problem)"),
    "representative": ("代表人", "Representative"),
    "member": ("群体成员", "Group member"),
    "system": ("系统", "System"),
}

CHANNELS: Final[dict[str, tuple[str, str]]] = {
    "email": ("电子邮件", "E-mail"),
    "sms": ("短信", "SMS"),
    "webhook": ("业务系统推送", "Webhook"),
    "wecom": ("企业微信", "WeCom"),
    "inbox": ("站内消息", "In-app inbox"),
    "inapp": ("站内消息", "In-app inbox"),  # notify's name of the inbox channel
    "phone": ("电话", "Phone"),
}

# The district's 11 towns/streets (shared/data/qingpu-towns.json).
TOWNS: Final[dict[str, tuple[str, str]]] = {
    "xiayang": ("夏阳街道", "Xiayang Street"),
    "yingpu": ("盈浦街道", "Yingpu Street"),
    "xianghuaqiao": ("香花桥街道", "Xianghuaqiao Street"),
    "zhaoxiang": ("赵巷镇", "Zhaoxiang Town"),
    "xujing": ("徐泾镇", "Xujing Town"),
    "huaxin": ("华新镇", "Huaxin Town"),
    "chonggu": ("重固镇", "Chonggu Town"),
    "baihe": ("白鹤镇", "Baihe Town"),
    "zhujiajiao": ("朱家角镇", "Zhujiajiao Town"),
    "liantang": ("练塘镇", "Liantang Town"),
    "jinze": ("金泽镇", "Jinze Town"),
    "qingpu": ("青浦区", "Qingpu District"),
}

BODY_KINDS: Final[dict[str, tuple[str, str]]] = {
    "judicial_office": ("司法所", "Judicial office"),
    "police_station": ("派出所", "Police station"),
    "law_firm": ("律师事务所", "Law firm"),
    "union": ("工会", "Trade union"),
    "hq_station": ("企业总部调解站", "Company HQ station"),
}

# The demo duty roster (services/mediation/adapters/data/roster.json); a deployment's own
# bodies and mediators arrive with their names from mediation's API.
BODIES: Final[dict[str, tuple[str, str]]] = {
    "huaxin-judicial": ("华新镇司法所", "Huaxin judicial office"),
    "huaxin-police": ("华新派出所", "Huaxin police station"),
    "lawfirm-minghe": ("明和律师事务所", "Minghe law firm"),
    "district-union": ("区总工会快递行业工会", "District express-industry union"),
    "hq-station-suda": ("速达快递总部调解站", "Suda Express HQ mediation station"),
}

MEDIATORS: Final[dict[str, tuple[str, str]]] = {
    "med-zhang": ("张调解员", "Mediator Zhang"),
    "med-chen": ("陈警官", "Officer Chen"),
    "med-wang": ("王律师", "Lawyer Wang"),
    "med-liu": ("刘律师", "Lawyer Liu"),
    "med-zhou": ("周主席", "Chair Zhou"),
    "med-sun": ("孙站长", "Station head Sun"),
}
