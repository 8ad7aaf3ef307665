#include "domain/dictionaries.h"

namespace zb::domain {

const std::vector<DictTypeDef>& DictTypes() {
  static const std::vector<DictTypeDef> kTypes = {
      {"industry", "行业", "Industry"},
      {"board", "产业板块", "Industry board"},
      {"category", "项目类别", "Project category"},
      {"problem_category", "问题类别", "Problem category"},
  };
  return kTypes;
}

bool IsKnownDictType(std::string_view code) {
  for (const auto& t : DictTypes()) {
    if (t.code == code) return true;
  }
  return false;
}

const std::vector<DefaultDictItem>& DefaultDictItems() {
  static const std::vector<DefaultDictItem> kItems = {
      // GB/T 4754-2017 门类
      {"industry", "A", "农、林、牧、渔业"},
      {"industry", "B", "采矿业"},
      {"industry", "C", "制造业"},
      {"industry", "D", "电力、热力、燃气及水生产和供应业"},
      {"industry", "E", "建筑业"},
      {"industry", "F", "批发和零售业"},
      {"industry", "G", "交通运输、仓储和邮政业"},
      {"industry", "H", "住宿和餐饮业"},
      {"industry", "I", "信息传输、软件和信息技术服务业"},
      {"industry", "J", "金融业"},
      {"industry", "K", "房地产业"},
      {"industry", "L", "租赁和商务服务业"},
      {"industry", "M", "科学研究和技术服务业"},
      {"industry", "N", "水利、环境和公共设施管理业"},
      {"industry", "O", "居民服务、修理和其他服务业"},
      {"industry", "P", "教育"},
      {"industry", "Q", "卫生和社会工作"},
      {"industry", "R", "文化、体育和娱乐业"},
      {"industry", "S", "公共管理、社会保障和社会组织"},
      {"industry", "T", "国际组织"},
      // 产业板块: a start for the district to edit
      {"board", "it", "新一代信息技术"},
      {"board", "equipment", "高端装备制造"},
      {"board", "nev", "新能源汽车"},
      {"board", "semiconductor", "半导体与集成电路"},
      {"board", "ai", "人工智能"},
      {"board", "biomed", "生物医药与医疗器械"},
      {"board", "materials", "新材料"},
      {"board", "energy", "新能源与节能环保"},
      {"board", "marine", "现代海洋"},
      {"board", "digital", "数字经济"},
      {"board", "services", "现代服务业"},
      {"board", "culture_tourism", "文化旅游"},
      {"board", "agriculture", "现代农业"},
      {"board", "other", "其他"},
      // 项目类别
      {"category", "manufacturing", "制造业"},
      {"category", "services", "服务业"},
      {"category", "infrastructure", "基础设施"},
      {"category", "real_estate", "房地产及棚户区改造"},
      {"category", "livelihood", "社会民生"},
      {"category", "other", "其他"},
      // 问题类别 (docs/api-problems.md; migration 0009 adds them to an existing database)
      {"problem_category", "approval", "审批手续"},
      {"problem_category", "land", "用地"},
      {"problem_category", "finance", "资金融资"},
      {"problem_category", "labour", "用工"},
      {"problem_category", "utilities", "水电气暖配套"},
      {"problem_category", "planning", "规划设计"},
      {"problem_category", "demolition", "征地拆迁"},
      {"problem_category", "talent", "人才"},
      {"problem_category", "market", "市场开拓"},
      {"problem_category", "policy", "政策兑现"},
      {"problem_category", "other", "其他"},
  };
  return kItems;
}

}  // namespace zb::domain
